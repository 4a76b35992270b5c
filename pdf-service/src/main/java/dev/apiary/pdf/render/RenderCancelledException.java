package dev.apiary.pdf.render;

public class RenderCancelledException extends RuntimeException {
    public RenderCancelledException() {
        super("render canceled", null, false, false);
    }
}
