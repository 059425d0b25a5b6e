package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

class LauncherSuitesTest {

    @Test
    void theFilterAsksTheSelectionByClassSimpleNameAndKeepsWhatIsNamedOnlyWhenItRuns() {
        PostDiscoveryFilter filter = LauncherSuites.filter(
                (testClass, name) -> testClass.equals("SelftestCallbacksIT") && name.equals("multiple livepatches"));

        assertThat(filter.apply(test("x.SelftestCallbacksIT", "multiple livepatches"))
                        .included())
                .isTrue();
        assertThat(filter.apply(test("x.SelftestLivepatchIT", "multiple livepatches"))
                        .excluded())
                .isTrue();
        TestDescriptor template = new Descriptor("sysfsTestReplace(String)", TestDescriptor.Type.CONTAINER);
        assertThat(filter.apply(template).included()).isTrue();
    }

    private static TestDescriptor test(String className, String displayName) {
        return new Descriptor(displayName, TestDescriptor.Type.TEST, MethodSource.from(className, "test"));
    }

    private static final class Descriptor extends AbstractTestDescriptor {
        private final Type type;

        Descriptor(String displayName, Type type) {
            super(UniqueId.root("test", displayName), displayName);
            this.type = type;
        }

        Descriptor(String displayName, Type type, MethodSource source) {
            super(UniqueId.root("test", displayName), displayName, source);
            this.type = type;
        }

        @Override
        public Type getType() {
            return type;
        }
    }
}
