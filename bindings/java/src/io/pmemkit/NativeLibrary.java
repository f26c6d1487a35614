package io.pmemkit;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Loads the JNI library, from the first of:
 * <ol>
 * <li>the file the system property {@code pmemkit.jni} names;
 * <li>the file the jar records, {@code $(libdir)/jni/libpmemkit_jni.so}
 *     of the build's configure (the resource
 *     {@code io/pmemkit/native.properties}, key {@code jni}), when it
 *     exists: an installed jar needs no {@code -Djava.library.path};
 * <li>the library {@code pmemkit_jni} in {@code java.library.path} (on
 *     Debian that includes /usr/lib/jni).
 * </ol>
 */
final class NativeLibrary {
    private NativeLibrary() {
    }

    /** The resource that records where {@code make install} puts the library. */
    static final String RESOURCE = "native.properties";

    static void load() {
        String path = System.getProperty("pmemkit.jni");
        if (path == null || path.isEmpty())
            path = recorded();
        if (path != null)
            System.load(path);
        else
            System.loadLibrary("pmemkit_jni");
    }

    /* the recorded file, when the jar has one and it exists */
    private static String recorded() {
        try (InputStream in = NativeLibrary.class.getResourceAsStream(RESOURCE)) {
            if (in == null)
                return null;
            Properties p = new Properties();
            p.load(in);
            String path = p.getProperty("jni");
            return path != null && new File(path).isFile() ? path : null;
        } catch (IOException e) {
            return null;
        }
    }
}
