package com.sansam.commerce.media.demo;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.MultipleGradientPaint;
import java.awt.RadialGradientPaint;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Product pictures for the demo catalogue, drawn with Java2D in one art direction: a warm studio backdrop, a soft
 * contact shadow, and the product's silhouette per category in the option's colour with a light from the top left. No
 * network is reachable where the shop is tried out, so the demo makes its own pictures (and uploads them through the
 * shop's image pipeline like an admin would).
 */
public final class DemoRenderer {

    public static final int SIZE = 1200;

    /** The option colours of the demo catalogue. */
    private static final Map<String, Color> COLOURS = Map.ofEntries(
            Map.entry("블랙", new Color(0x23, 0x22, 0x21)),
            Map.entry("화이트", new Color(0xF1, 0xEE, 0xE8)),
            Map.entry("브라운", new Color(0x6B, 0x42, 0x26)),
            Map.entry("카멜", new Color(0xB5, 0x83, 0x5A)),
            Map.entry("차콜", new Color(0x3B, 0x3B, 0x3D)),
            Map.entry("아이보리", new Color(0xEF, 0xE9, 0xDA)),
            Map.entry("그레이", new Color(0x8D, 0x8D, 0x8F)),
            Map.entry("화이트골드", new Color(0xDC, 0xDC, 0xD6)),
            Map.entry("옐로골드", new Color(0xD4, 0xAF, 0x37)),
            Map.entry("베이지", new Color(0xD8, 0xC3, 0xA5)),
            Map.entry("핑크", new Color(0xE8, 0xB4, 0xB8)),
            Map.entry("토프", new Color(0x8B, 0x7D, 0x6B)),
            Map.entry("카라멜", new Color(0xA8, 0x67, 0x2F)),
            Map.entry("오렌지", new Color(0xE0, 0x7B, 0x39)),
            Map.entry("에크루", new Color(0xE9, 0xE0, 0xC9)),
            Map.entry("실버", new Color(0xC0, 0xC0, 0xC4)),
            Map.entry("블루", new Color(0x3A, 0x5A, 0x98)),
            Map.entry("레드", new Color(0xA3, 0x26, 0x2A)),
            Map.entry("네이비", new Color(0x1F, 0x2A, 0x44)),
            Map.entry("그린", new Color(0x2F, 0x5D, 0x46)),
            Map.entry("골드", new Color(0xC9, 0xA2, 0x27)));

    private DemoRenderer() {}

    /** The colour a demo option's name stands for (a warm taupe for one it does not know). */
    public static Color colour(String name) {
        return name == null
                ? new Color(0x7A, 0x6A, 0x58)
                : COLOURS.getOrDefault(name.strip(), new Color(0x7A, 0x6A, 0x58));
    }

    /** A JPEG of the product of this category (the demo's category ids) in this colour. */
    public static byte[] jpeg(long categoryId, Color colour) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            backdrop(g);
            shadow(g, categoryId);
            DemoProducts.draw(g, categoryId, colour);
        } finally {
            g.dispose();
        }
        return encode(image);
    }

    private static void backdrop(Graphics2D g) {
        g.setPaint(new RadialGradientPaint(
                new Point2D.Float(SIZE * 0.45f, SIZE * 0.35f),
                SIZE * 0.9f,
                new float[] {0f, 1f},
                new Color[] {new Color(0xF7, 0xF4, 0xEF), new Color(0xE4, 0xDE, 0xD5)},
                MultipleGradientPaint.CycleMethod.NO_CYCLE));
        g.fillRect(0, 0, SIZE, SIZE);
    }

    /** A soft contact shadow: concentric translucent ellipses, widest and faintest outside. */
    private static void shadow(Graphics2D g, long categoryId) {
        double width = categoryId == 15 || categoryId == 16 ? 420 : categoryId == 13 ? 640 : 760;
        for (int i = 0; i < 24; i++) {
            double w = width * (1.15 - i * 0.02);
            double h = 70 * (1.15 - i * 0.02);
            g.setColor(new Color(40, 30, 20, 5));
            g.fill(new Ellipse2D.Double(600 - w / 2, 960 - h / 2, w, h));
        }
    }

    private static byte[] encode(BufferedImage image) {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.88f);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
