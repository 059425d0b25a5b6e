package dev.livepatch.testkit.stall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleArgumentTest {
    @Test
    void aPatchNameWithParameters() {
        ModuleArgument argument = ModuleArgument.parse("lpt_busy:block_transition=1,delay=20");

        assertThat(argument.reference()).isEqualTo("lpt_busy");
        assertThat(argument.parameters()).containsExactly(Map.entry("block_transition", "1"), Map.entry("delay", "20"));
        assertThat(argument.isFile()).isFalse();
    }

    @Test
    void aModuleFileWithoutParameters() {
        ModuleArgument argument = ModuleArgument.parse("/tmp/bundle:1/modules/lpt_callbacks.ko");

        assertThat(argument.reference()).isEqualTo("/tmp/bundle:1/modules/lpt_callbacks.ko");
        assertThat(argument.parameters()).isEmpty();
        assertThat(argument.isFile()).isTrue();
    }

    @Test
    void anEmptyValueIsAValue() {
        assertThat(ModuleArgument.parse("m.ko:name=").parameters()).containsExactly(Map.entry("name", ""));
    }

    @Test
    void parametersWithoutAModuleAreRefused() {
        assertThatThrownBy(() -> ModuleArgument.parse(":x=1"))
                .hasMessage("':x=1' names no module; write MODULE[:PARAM=VALUE,...]");
    }
}
