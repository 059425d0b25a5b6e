package dev.livepatch.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against one real guest: the guest boots (or starts from its snapshot) before the first
 * test, is reset to its boot snapshot before every test, and is stopped after the last one. Test methods
 * receive {@code Guest}, {@code GuestShell}, {@code Livepatches}, {@code Kernel}, {@code GuestImage} and
 * {@code PatchModules} as parameters.
 */
@Documented
@Inherited
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LivepatchExtension.class)
@Tag("qemu")
public @interface LivepatchTest {
    /** Kernel spec ({@code debian}, {@code debian:<release>} or a build tree); empty means the configured one. */
    String kernel() default "";

    /** Image recipe in {@code guest-images/}; empty means the configured one ({@code minimal}). */
    String image() default "";

    int cpus() default 1;

    int memoryMib() default 512;
}
