package io.pmemkit;

/**
 * Loads the JNI library. The system property {@code pmemkit.jni} names the
 * file to load; without it the library {@code pmemkit_jni} is looked up
 * in {@code java.library.path} (on Debian that includes /usr/lib/jni).
 */
final class NativeLibrary {
    private NativeLibrary() {
    }

    static void load() {
        String path = System.getProperty("pmemkit.jni");
        if (path != null && !path.isEmpty())
            System.load(path);
        else
            System.loadLibrary("pmemkit_jni");
    }
}
