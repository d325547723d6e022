package org.gongzhi.requests;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.imageio.ImageIO;

/** A real phone-like photo: a JPEG with an EXIF block that carries a GPS position and a camera serial. */
public final class TestImages {

    public static final String SECRET = "GPSLatitude=31.01234;SerialNumber=CAM-778899";

    public static byte[] jpegWithGps() throws IOException {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(20, 20, 20)); // black water
        g.fillRect(0, 0, 64, 48);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(img, "jpeg", jpeg);
        byte[] plain = jpeg.toByteArray();
        byte[] exif = ("Exif\0\0MM\0*\0\0\0\u0008" + SECRET).getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2); // SOI
        out.write(0xFF);
        out.write(0xE1); // APP1, where cameras put EXIF
        int len = exif.length + 2;
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.write(exif);
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    private TestImages() {
    }
}
