package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TreeBuildTest {
    @Test
    void namesATreeByItsFolderAndAHashOfItsPath() {
        assertThat(TreeBuild.treeKey(Path.of("/src/linux"))).isEqualTo("linux-bcf2a87b9068");
    }
}
