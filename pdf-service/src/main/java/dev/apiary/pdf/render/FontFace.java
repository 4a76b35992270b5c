package dev.apiary.pdf.render;

import org.openpdf.text.pdf.BaseFont;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One face of the font chain: a TrueType/OpenType file (or a collection and its index) read by path, or bytes (the
 * Liberation fallback from the jar), with an optional bold file. Its character coverage and its AWT fonts (for
 * shaping) are loaded on first use and then shared by all documents.
 *
 * <p>{@link #open} gives a document its {@link BaseFont}: each file is parsed once and that instance is shared by
 * all documents and threads. OpenPDF only reads a font's tables after construction, keeps the glyphs a document
 * used in the document's writer ({@code FontDetails}) and reads the file again through its own copy of the file
 * reader when it subsets (glyf tables and CFF tables alike), so nothing of one document leaks into another. A parsed
 * Noto Sans face holds ~0.5 MB of cmap and metrics maps, the CJK collection ~6.3 MB: one instance per document did
 * not fit two parallel parts in the deploy heap. A face with CFF outlines ({@link #cff}) is subset from a copy of
 * its whole CFF table (15 MB for the CJK collection) when a document closes; {@link FontSet.Fonts#close} closes such
 * documents one at a time.
 */
final class FontFace {
    private final String name;
    private final Path path;
    private final int index;
    private final Path boldPath;
    private final byte[] bytes;
    private volatile BitSet coverage;
    private final BaseFont[] shared = new BaseFont[2];
    private final AtomicInteger created = new AtomicInteger();
    private volatile Boolean cff;
    private volatile Font awtRegular;
    private volatile Font awtBold;

    private FontFace(String name, Path path, int index, Path boldPath, byte[] bytes) {
        this.name = name;
        this.path = path;
        this.index = index;
        this.boldPath = boldPath;
        this.bytes = bytes;
    }

    static FontFace ofPath(Path path, int index, Path boldPath) {
        return new FontFace(path.getFileName().toString(), path, index, boldPath, null);
    }

    static FontFace ofBytes(String name, byte[] bytes) {
        return new FontFace(name, null, 0, null, bytes);
    }

    String name() {
        return name;
    }

    /** The font for one document; {@code bold} picks the bold file when there is one. The same instance for every
     * document. */
    BaseFont open(boolean bold) {
        int w = bold && boldPath != null ? 1 : 0;
        synchronized (shared) {
            BaseFont f = shared[w];
            if (f == null) {
                f = create(w == 1 ? boldPath : path);
                shared[w] = f;
                created.incrementAndGet();
            }
            return f;
        }
    }

    /** How many font instances this face has parsed (at most one per file: regular and bold). */
    int created() {
        return created.get();
    }

    /** Whether the face has CFF outlines (an OpenType 'OTTO' file or a collection of them, as the CJK one): its
     * subset is cut from a heap copy of the whole CFF table when a document closes. */
    boolean cff() {
        Boolean c = cff;
        if (c == null) {
            c = !trueTypeOutlines(path);
            cff = c;
        }
        return c;
    }

    private BaseFont create(Path p) {
        try {
            if (bytes != null) {
                return BaseFont.createFont(name, BaseFont.IDENTITY_H, BaseFont.EMBEDDED, false, bytes, null);
            }
            String spec = p.toString() + (isCollection(p) ? "," + index : "");
            return BaseFont.createFont(spec, BaseFont.IDENTITY_H, BaseFont.EMBEDDED, false, null, null);
        } catch (Exception e) {
            throw new IllegalStateException("cannot load font " + name + ": " + e.getMessage(), e);
        }
    }

    /** Whether the file (or the bytes) holds TrueType outlines: sfnt version 0x00010000 or 'true' (not 'OTTO'); for
     * a collection ('ttcf'), that of its first font. */
    private boolean trueTypeOutlines(Path p) {
        byte[] head = new byte[16];
        if (bytes != null) {
            System.arraycopy(bytes, 0, head, 0, Math.min(head.length, bytes.length));
        } else {
            try (SeekableByteChannel in = Files.newByteChannel(p)) {
                ByteBuffer b = ByteBuffer.wrap(head);
                in.read(b);
                if (b.getInt(0) == 0x74746366) { // 'ttcf': the offset of the first font is at byte 12
                    in.position(Integer.toUnsignedLong(b.getInt(12)));
                    b.clear();
                    in.read(b);
                }
            } catch (IOException e) {
                return false;
            }
        }
        int tag = (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | head[3] & 0xff;
        return tag == 0x00010000 || tag == 0x74727565;
    }

    /** Whether the face has a glyph for {@code cp} (the coverage is read on first use). */
    boolean covers(int cp) {
        return cp >= 0 && coverage().get(cp);
    }

    /**
     * The code points (all planes) the regular face has a glyph for, read once from the shared font instance.
     */
    BitSet coverage() {
        BitSet b = coverage;
        if (b == null) {
            synchronized (this) {
                b = coverage;
                if (b == null) {
                    BaseFont f = open(false);
                    b = new BitSet(0x10000);
                    for (int cp = 0x20; cp <= Character.MAX_CODE_POINT; cp++) {
                        if (f.charExists(cp)) {
                            b.set(cp);
                        }
                    }
                    coverage = b;
                }
            }
        }
        return b;
    }

    /** The AWT font for shaping (size 1; derive the size), loaded on first use. */
    Font awt(boolean bold) {
        Font f = bold ? awtBold : awtRegular;
        if (f == null) {
            synchronized (this) {
                f = bold ? awtBold : awtRegular;
                if (f == null) {
                    f = loadAwt(bold && boldPath != null ? boldPath : path);
                    if (bold) {
                        awtBold = f;
                    } else {
                        awtRegular = f;
                    }
                }
            }
        }
        return f;
    }

    private Font loadAwt(Path p) {
        try {
            if (bytes != null) {
                return Font.createFont(Font.TRUETYPE_FONT, new ByteArrayInputStream(bytes));
            }
            Font[] all = Font.createFonts(p.toFile());
            return all[isCollection(p) ? Math.min(index, all.length - 1) : 0];
        } catch (IOException | FontFormatException e) {
            throw new IllegalStateException("cannot load font " + p + " for shaping: " + e.getMessage(), e);
        }
    }

    private static boolean isCollection(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".ttc");
    }
}
