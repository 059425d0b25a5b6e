package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShardTest {
    private static final List<String> CLASSES = IntStream.rangeClosed(1, 11)
            .mapToObj(i -> "suites.Class" + (char) ('A' + i))
            .toList();

    @Test
    void shardsTogetherRunEveryClassOnceAndDifferBySizeAtMostOne() {
        List<String> covered = new ArrayList<>();
        for (int index = 1; index <= 4; index++) {
            List<String> slice = new Shard(index, 4).select(CLASSES);
            assertThat(slice).hasSizeBetween(2, 3);
            assertThat(Collections.disjoint(slice, covered)).isTrue();
            covered.addAll(slice);
        }
        assertThat(covered).containsExactlyInAnyOrderElementsOf(CLASSES);
    }

    @Test
    void theSliceDependsOnTheClassesNotOnTheOrderTheyWereFound() {
        List<String> reversed = new ArrayList<>(CLASSES);
        Collections.reverse(reversed);

        assertThat(new Shard(2, 3).select(reversed)).isEqualTo(new Shard(2, 3).select(CLASSES));
        assertThat(new Shard(2, 3).select(CLASSES))
                .containsExactly("suites.ClassC", "suites.ClassF", "suites.ClassI", "suites.ClassL");
    }

    @Test
    void parsingAcceptsIndexOverCountOnly() {
        assertThat(Shard.parse("2/4")).isEqualTo(new Shard(2, 4));
        assertThat(Shard.parse("1/1").isWhole()).isTrue();
        assertThat(new Shard(2, 4).fileSuffix()).isEqualTo("-2of4");
        assertThat(Shard.ALL.fileSuffix()).isEmpty();
        assertThatThrownBy(() -> Shard.parse("2-4")).hasMessage("--shard takes INDEX/COUNT, e.g. 2/4, not '2-4'");
        assertThatThrownBy(() -> Shard.parse("x/4")).hasMessage("--shard takes INDEX/COUNT, e.g. 2/4, not 'x/4'");
        assertThatThrownBy(() -> Shard.parse("5/4"))
                .hasMessage("A shard is INDEX/COUNT with 1 <= INDEX <= COUNT, not 5/4");
        assertThatThrownBy(() -> Shard.parse("0/0"))
                .hasMessage("A shard is INDEX/COUNT with 1 <= INDEX <= COUNT, not 0/0");
    }
}
