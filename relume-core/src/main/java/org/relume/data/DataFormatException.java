package org.relume.data;

/**
 * An input file whose content is not what its format (CSV, idx) requires.
 *
 * <p>Users meet this exception when a data file they supplied is wrong, so every message says
 * where (the file, then the 1-based line and column for text or the 0-based byte offset for
 * binary data) and what was expected against what was found, for example
 * {@code data.csv line 7, column 3 ('abc'): expected a number}. The factories below build the
 * messages in that one shape so that readers cannot drift apart. A file that does not exist is not
 * a format problem; readers report it with an {@link IllegalArgumentException} naming the path.
 */
public final class DataFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final long line;
    private final long byteOffset;

    private DataFormatException(String file, long line, long byteOffset, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
        this.line = line;
        this.byteOffset = byteOffset;
    }

    /** A problem with the file as a whole, e.g. {@code data.csv: the file has no data rows}. */
    public static DataFormatException inFile(String file, String detail) {
        return new DataFormatException(file, -1, -1, file + ": " + detail, null);
    }

    /** A problem on one line of a text file (line counted from 1). */
    public static DataFormatException atLine(String file, long line, String detail) {
        return new DataFormatException(file, line, -1, file + " line " + line + ": " + detail, null);
    }

    /**
     * A problem with one field of a text file (line and column counted from 1), quoting the text
     * found so that the user can search for it.
     */
    public static DataFormatException atField(String file, long line, int column, String text, String expected) {
        return new DataFormatException(file, line, -1,
                file + " line " + line + ", column " + column + " ('" + printable(text) + "'): " + expected, null);
    }

    /**
     * The text with control characters written as {@code \xNN} (and long text cut), so a message
     * about a binary or corrupt file stays one readable line and cannot drive the terminal.
     */
    public static String printable(String text) {
        StringBuilder sb = new StringBuilder();
        int limit = Math.min(text.length(), 80);
        for (int i = 0; i < limit; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (text.length() > limit) {
            sb.append("...");
        }
        return sb.toString();
    }

    /** A problem at a byte offset (counted from 0) of a binary file. */
    public static DataFormatException atOffset(String file, long byteOffset, String detail) {
        return atOffset(file, byteOffset, detail, null);
    }

    /** As {@link #atOffset(String, long, String)}, keeping the low-level cause (e.g. a broken gzip stream). */
    public static DataFormatException atOffset(String file, long byteOffset, String detail, Throwable cause) {
        return new DataFormatException(file, -1, byteOffset, file + " at byte " + byteOffset + ": " + detail, cause);
    }

    /** The file as the caller named it. */
    public String file() {
        return file;
    }

    /** The 1-based line of a text file, or -1 when the problem has no line. */
    public long line() {
        return line;
    }

    /** The 0-based byte offset in a binary file (after decompression for gzipped files), or -1. */
    public long byteOffset() {
        return byteOffset;
    }
}
