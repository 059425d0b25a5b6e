package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The patches in the guest, bottom (loaded first) to top (loaded last). Where several patch the same function,
 * the top one's version runs, except during a transition.
 */
@API(status = STABLE, since = "0.1")
public record PatchStack(List<PatchState> patches) {

    public PatchStack {
        patches = List.copyOf(patches);
    }

    public List<String> names() {
        return patches.stream().map(PatchState::name).toList();
    }

    public Optional<PatchState> find(String name) {
        return patches.stream().filter(patch -> patch.name().equals(name)).findFirst();
    }

    public boolean contains(String name) {
        return find(name).isPresent();
    }

    public Optional<PatchState> top() {
        return patches.isEmpty() ? Optional.empty() : Optional.of(patches.get(patches.size() - 1));
    }

    /** The patch the kernel is switching tasks to or from, if any (there is at most one). */
    public Optional<PatchState> inTransition() {
        return patches.stream().filter(PatchState::inTransition).findFirst();
    }

    /** The topmost enabled patch that replaces {@code function} of {@code object}: whose version runs. */
    public Optional<PatchState> owner(String object, String function) {
        for (int i = patches.size() - 1; i >= 0; i--) {
            PatchState patch = patches.get(i);
            if (patch.enabled()
                    && patch.object(object)
                            .filter(found -> found.patches(function))
                            .isPresent()) {
                return Optional.of(patch);
            }
        }
        return Optional.empty();
    }
}
