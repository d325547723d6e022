package org.gongzhi.requests;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.gongzhi.platform.FieldProblem;
import org.gongzhi.platform.InvalidInputException;

/**
 * Citizens' photos are re-encoded from their pixels before they are stored: the new file carries no EXIF, XMP or PNG
 * text chunks, so no GPS position, camera serial or time leaks when a moderated photo is published (the report's
 * location is the pin the citizen chose, nothing else). The type is judged by the content (JPEG or PNG), the size and
 * the pixel count are capped before decoding (a small file can claim a huge image).
 */
final class RequestPhotos {

    static final long MAX_PIXELS = 40_000_000;

    static byte[] stripped(String field, String filename, byte[] content, long maxBytes) {
        if (content == null || content.length == 0) {
            throw new InvalidInputException(FieldProblem.of(field, filename, "照片为空", "the photo is empty"));
        }
        if (content.length > maxBytes) {
            throw new InvalidInputException(FieldProblem.of(field, filename, "照片超过 " + maxBytes / 1048576 + " MB 上限",
                    "the photo is larger than the " + maxBytes / 1048576 + " MB limit"));
        }
        String format = jpeg(content) ? "jpeg" : png(content) ? "png" : null;
        if (format == null) {
            throw new InvalidInputException(FieldProblem.of(field, filename, "照片须为JPEG或PNG图片（按文件内容判断）",
                    "a photo must be a JPEG or PNG image (judged by its content)"));
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw unreadable(field, filename);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true); // ignore metadata: it is what we drop
                if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_PIXELS) {
                    throw new InvalidInputException(FieldProblem.of(field, filename, "照片像素过多（上限4000万）",
                            "the photo has too many pixels (at most 40 million)"));
                }
                BufferedImage image = reader.read(0);
                if (format.equals("jpeg") && image.getColorModel().hasAlpha()) {
                    format = "png";
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream(content.length);
                if (!ImageIO.write(image, format, out)) {
                    throw unreadable(field, filename);
                }
                return out.toByteArray();
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidInputException ie) {
                throw ie;
            }
            throw unreadable(field, filename);
        }
    }

    private static InvalidInputException unreadable(String field, String filename) {
        return new InvalidInputException(FieldProblem.of(field, filename, "无法读取该图片", "the image cannot be read"));
    }

    static boolean jpeg(byte[] b) {
        return b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF;
    }

    static boolean png(byte[] b) {
        return b.length > 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    }

    private RequestPhotos() {
    }
}
