package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.vm.Guest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The kernel's own livepatch selftests, test-shadow-vars.sh: the shadow variable API; the same steps and the same kernel log, with the toolkit's modules. */
@Tag("selftests")
@LivepatchTest(image = "selftest", reset = LivepatchTest.Reset.WHEN_CHANGED)
class SelftestShadowVarsIT {
    @Test
    @DisplayName("basic shadow variable API")
    void basicShadowVariableAPI(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "basic shadow variable API");
        t.loadModule("lpt_shadow_vars");
        t.unload("lpt_shadow_vars");
        t.check("""
                % insmod lpt_shadow_vars.ko
                lpt_shadow_vars: klp_shadow_get(obj=PTR1, id=0x1234) = PTR0
                lpt_shadow_vars:   got expected NULL result
                lpt_shadow_vars: shadow_ctor: PTR3 -> PTR2
                lpt_shadow_vars: klp_shadow_get_or_alloc(obj=PTR1, id=0x1234, size=8, gfp_flags=GFP_KERNEL), ctor=PTR4, ctor_data=PTR2 = PTR3
                lpt_shadow_vars: shadow_ctor: PTR6 -> PTR5
                lpt_shadow_vars: klp_shadow_alloc(obj=PTR1, id=0x1235, size=8, gfp_flags=GFP_KERNEL), ctor=PTR4, ctor_data=PTR5 = PTR6
                lpt_shadow_vars: shadow_ctor: PTR8 -> PTR7
                lpt_shadow_vars: klp_shadow_alloc(obj=PTR9, id=0x1234, size=8, gfp_flags=GFP_KERNEL), ctor=PTR4, ctor_data=PTR7 = PTR8
                lpt_shadow_vars: shadow_ctor: PTR11 -> PTR10
                lpt_shadow_vars: klp_shadow_alloc(obj=PTR9, id=0x1235, size=8, gfp_flags=GFP_KERNEL), ctor=PTR4, ctor_data=PTR10 = PTR11
                lpt_shadow_vars: shadow_ctor: PTR13 -> PTR12
                lpt_shadow_vars: klp_shadow_get_or_alloc(obj=PTR14, id=0x1234, size=8, gfp_flags=GFP_KERNEL), ctor=PTR4, ctor_data=PTR12 = PTR13
                lpt_shadow_vars: shadow_ctor: PTR16 -> PTR15
                lpt_shadow_vars: klp_shadow_alloc(obj=PTR14, id=0x1235, size=8, gfp_flags=GFP_KERNEL), ctor=PTR4, ctor_data=PTR15 = PTR16
                lpt_shadow_vars: klp_shadow_get(obj=PTR1, id=0x1234) = PTR3
                lpt_shadow_vars:   got expected PTR3 -> PTR2 result
                lpt_shadow_vars: klp_shadow_get(obj=PTR1, id=0x1235) = PTR6
                lpt_shadow_vars:   got expected PTR6 -> PTR5 result
                lpt_shadow_vars: klp_shadow_get(obj=PTR9, id=0x1234) = PTR8
                lpt_shadow_vars:   got expected PTR8 -> PTR7 result
                lpt_shadow_vars: klp_shadow_get(obj=PTR9, id=0x1235) = PTR11
                lpt_shadow_vars:   got expected PTR11 -> PTR10 result
                lpt_shadow_vars: klp_shadow_get(obj=PTR14, id=0x1234) = PTR13
                lpt_shadow_vars:   got expected PTR13 -> PTR12 result
                lpt_shadow_vars: klp_shadow_get(obj=PTR14, id=0x1235) = PTR16
                lpt_shadow_vars:   got expected PTR16 -> PTR15 result
                lpt_shadow_vars: klp_shadow_get_or_alloc(obj=PTR1, id=0x1234, size=8, gfp_flags=GFP_KERNEL), ctor=PTR4, ctor_data=PTR2 = PTR3
                lpt_shadow_vars:   got expected PTR3 -> PTR2 result
                lpt_shadow_vars: klp_shadow_get_or_alloc(obj=PTR9, id=0x1234, size=8, gfp_flags=GFP_KERNEL), ctor=PTR4, ctor_data=PTR7 = PTR8
                lpt_shadow_vars:   got expected PTR8 -> PTR7 result
                lpt_shadow_vars: klp_shadow_get_or_alloc(obj=PTR14, id=0x1234, size=8, gfp_flags=GFP_KERNEL), ctor=PTR4, ctor_data=PTR12 = PTR13
                lpt_shadow_vars:   got expected PTR13 -> PTR12 result
                lpt_shadow_vars: shadow_dtor(obj=PTR1, shadow_data=PTR3)
                lpt_shadow_vars: klp_shadow_free(obj=PTR1, id=0x1234, dtor=PTR17)
                lpt_shadow_vars: klp_shadow_get(obj=PTR1, id=0x1234) = PTR0
                lpt_shadow_vars:   got expected NULL result
                lpt_shadow_vars: shadow_dtor(obj=PTR9, shadow_data=PTR8)
                lpt_shadow_vars: klp_shadow_free(obj=PTR9, id=0x1234, dtor=PTR17)
                lpt_shadow_vars: klp_shadow_get(obj=PTR9, id=0x1234) = PTR0
                lpt_shadow_vars:   got expected NULL result
                lpt_shadow_vars: shadow_dtor(obj=PTR14, shadow_data=PTR13)
                lpt_shadow_vars: klp_shadow_free(obj=PTR14, id=0x1234, dtor=PTR17)
                lpt_shadow_vars: klp_shadow_get(obj=PTR14, id=0x1234) = PTR0
                lpt_shadow_vars:   got expected NULL result
                lpt_shadow_vars: klp_shadow_get(obj=PTR1, id=0x1235) = PTR6
                lpt_shadow_vars:   got expected PTR6 -> PTR5 result
                lpt_shadow_vars: klp_shadow_get(obj=PTR9, id=0x1235) = PTR11
                lpt_shadow_vars:   got expected PTR11 -> PTR10 result
                lpt_shadow_vars: klp_shadow_get(obj=PTR14, id=0x1235) = PTR16
                lpt_shadow_vars:   got expected PTR16 -> PTR15 result
                lpt_shadow_vars: klp_shadow_free_all(id=0x1235, dtor=PTR0)
                lpt_shadow_vars: klp_shadow_get(obj=PTR1, id=0x1235) = PTR0
                lpt_shadow_vars:   got expected NULL result
                lpt_shadow_vars: klp_shadow_get(obj=PTR9, id=0x1235) = PTR0
                lpt_shadow_vars:   got expected NULL result
                lpt_shadow_vars: klp_shadow_get(obj=PTR14, id=0x1235) = PTR0
                lpt_shadow_vars:   got expected NULL result
                % rmmod lpt_shadow_vars
                """);
    }
}
