package dev.apiary.pdf.render;

/** Told after every rendered student; may throw {@link RenderCancelledException} to stop the render. */
@FunctionalInterface
public interface RenderListener {
    RenderListener NONE = done -> { };

    /** {@code done}: students rendered so far in this render unit. */
    void studentRendered(int done);
}
