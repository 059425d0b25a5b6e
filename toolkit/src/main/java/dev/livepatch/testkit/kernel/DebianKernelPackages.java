package dev.livepatch.testkit.kernel;

import dev.livepatch.testkit.deb.Apt;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The packages that make up one Debian kernel ABI, whichever way its suite packages it: up to 6.12 the unsigned
 * image package holds the kernel and its modules; from 7.x the kernel, the modules and the configuration come in
 * {@code linux-binary-unsigned-*}, {@code linux-modules-*} and {@code linux-base-*}. Headers, common headers and
 * kbuild are named by the headers package's dependencies.
 *
 * @param image the package whose version identifies the kernel
 */
record DebianKernelPackages(String image, List<String> all) {
    static DebianKernelPackages of(Apt apt, String release) {
        Set<String> packages = new LinkedHashSet<>();
        String split = "linux-binary-unsigned-" + release;
        String image;
        if (apt.has(split)) {
            image = split;
            packages.addAll(List.of(split, "linux-modules-" + release, "linux-base-" + release));
        } else {
            image = "linux-image-" + release + "-unsigned";
            packages.add(image);
        }
        String headers = "linux-headers-" + release;
        packages.add(headers);
        for (String dependency : apt.dependencies(headers)) {
            if (dependency.startsWith("linux-headers-")
                    || dependency.startsWith("linux-kbuild-")
                    || dependency.equals("linux-base-" + release)) {
                packages.add(dependency);
            }
        }
        return new DebianKernelPackages(image, new ArrayList<>(packages));
    }

    DebianKernelPackages {
        all = List.copyOf(all);
    }
}
