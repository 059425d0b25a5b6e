// SPDX-License-Identifier: GPL-2.0
/* lpt_state3: lpt_state2's source built as another module, to replace lpt_state2 with an equal state version. */
#include "../lpt_state2/lpt_state2.c"
