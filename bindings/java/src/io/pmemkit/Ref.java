package io.pmemkit;

/**
 * A reference to a container as a pmemkit value holds it (pk_ref): what
 * the native layer gives and takes for PK_MAP, PK_LIST and PK_ARRAY
 * values. The Java classes wrap it at once; users never see one.
 */
final class Ref {
    final int type;
    final long off;
    final long gen;

    Ref(int type, long off, long gen) {
        this.type = type;
        this.off = off;
        this.gen = gen;
    }
}
