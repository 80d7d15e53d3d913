package com.sansam.commerce.media.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;

/**
 * The demo catalogue's products as drawings ({@link DemoRenderer} sets the scene): a silhouette per kind (bags,
 * clothing, shoes, accessories) filled with the option's colour lit from the top left, with edges, stitching and gold
 * hardware.
 */
final class DemoProducts {

    private static final Color GOLD = new Color(0xC9, 0xA2, 0x27);

    private DemoProducts() {}

    /** Draws the product of this category (the demo's category ids) in this colour. */
    static void draw(Graphics2D g, long categoryId, Color colour) {
        switch ((int) categoryId) {
            case 2 -> tote(g, colour);
            case 3 -> shoulderBag(g, colour);
            case 4 -> crossbody(g, colour);
            case 6 -> coat(g, colour);
            case 7 -> knit(g, colour);
            case 9 -> sneaker(g, colour);
            case 10 -> loafer(g, colour);
            case 12 -> wallet(g, colour);
            case 13 -> scarf(g, colour);
            case 15 -> watch(g, colour);
            case 16 -> ring(g, colour);
            default -> tote(g, colour);
        }
    }

    // ------------------------------------------------------------------------------------------ materials

    /** Fills with the colour lit from the top left, then a thin edge a shade darker. */
    private static void material(Graphics2D g, Shape shape, Color colour) {
        Rectangle2D b = shape.getBounds2D();
        g.setPaint(new GradientPaint(
                (float) b.getMinX(),
                (float) b.getMinY(),
                lighter(colour, 0.22),
                (float) b.getMaxX(),
                (float) b.getMaxY(),
                darker(colour, 0.28)));
        g.fill(shape);
        g.setStroke(new BasicStroke(3f));
        g.setColor(darker(colour, 0.4));
        g.draw(shape);
    }

    private static void line(Graphics2D g, Shape shape, Color colour, float width) {
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.setColor(colour);
        g.draw(shape);
    }

    private static Color lighter(Color c, double by) {
        return new Color(
                (int) (c.getRed() + (255 - c.getRed()) * by), (int) (c.getGreen() + (255 - c.getGreen()) * by), (int)
                        (c.getBlue() + (255 - c.getBlue()) * by));
    }

    private static Color darker(Color c, double by) {
        return new Color(
                (int) (c.getRed() * (1 - by)), (int) (c.getGreen() * (1 - by)), (int) (c.getBlue() * (1 - by)));
    }

    /** Stitching: a dashed line just inside an edge. */
    private static void stitch(Graphics2D g, Shape shape, Color colour) {
        g.setStroke(new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {10f, 9f}, 0f));
        g.setColor(lighter(colour, 0.35));
        g.draw(shape);
    }

    // ------------------------------------------------------------------------------------------ bags

    private static void tote(Graphics2D g, Color c) {
        // two handles, the back one seen through the front one
        line(g, new Arc2D.Double(470, 210, 260, 380, 0, 180, Arc2D.OPEN), darker(c, 0.45), 24f);
        line(g, new Arc2D.Double(430, 250, 340, 330, 0, 180, Arc2D.OPEN), darker(c, 0.15), 26f);
        GeneralPath body = new GeneralPath();
        body.moveTo(330, 400);
        body.lineTo(870, 400);
        body.quadTo(905, 660, 920, 900);
        body.quadTo(920, 940, 880, 940);
        body.lineTo(320, 940);
        body.quadTo(280, 940, 280, 900);
        body.quadTo(295, 660, 330, 400);
        body.closePath();
        material(g, body, c);
        stitch(g, new Rectangle2D.Double(345, 425, 510, 0.1), c);
        g.setColor(GOLD);
        g.fill(new RoundRectangle2D.Double(575, 470, 50, 34, 10, 10));
    }

    private static void shoulderBag(Graphics2D g, Color c) {
        for (int i = 0; i < 26; i++) { // a chain strap
            double t = Math.PI * i / 25;
            double x = 600 - 300 * Math.cos(t);
            double y = 470 - 300 * Math.sin(t);
            line(g, new Ellipse2D.Double(x - 14, y - 9, 28, 18), GOLD, 6f);
        }
        RoundRectangle2D body = new RoundRectangle2D.Double(290, 460, 620, 470, 70, 70);
        material(g, body, c);
        Area quilt = new Area(body);
        Graphics2D clip = (Graphics2D) g.create();
        clip.clip(quilt);
        clip.setStroke(new BasicStroke(3f));
        clip.setColor(darker(c, 0.35));
        for (int d = -600; d < 900; d += 90) {
            clip.drawLine(290 + d, 460, 290 + d + 470, 930);
            clip.drawLine(290 + d + 470, 460, 290 + d, 930);
        }
        clip.dispose();
        GeneralPath flap = new GeneralPath();
        flap.moveTo(290, 500);
        flap.quadTo(290, 460, 360, 460);
        flap.lineTo(840, 460);
        flap.quadTo(910, 460, 910, 500);
        flap.lineTo(910, 650);
        flap.quadTo(600, 720, 290, 650);
        flap.closePath();
        material(g, flap, lighter(c, 0.05));
        g.setColor(GOLD);
        g.fill(new RoundRectangle2D.Double(560, 640, 80, 50, 16, 16));
    }

    private static void crossbody(Graphics2D g, Color c) {
        line(g, new Arc2D.Double(330, 150, 540, 760, 20, 140, Arc2D.OPEN), darker(c, 0.25), 18f);
        RoundRectangle2D body = new RoundRectangle2D.Double(340, 560, 520, 370, 60, 60);
        material(g, body, c);
        stitch(g, new RoundRectangle2D.Double(362, 582, 476, 326, 46, 46), c);
        material(g, flap(340, 560, 860, 720, 40, 60), lighter(c, 0.06));
        g.setColor(GOLD);
        g.fill(new Ellipse2D.Double(580, 700, 40, 40));
    }

    /** A flap over a bag's top: rounded top corners ({@code drop} down, {@code run} across), a straight lower edge. */
    private static GeneralPath flap(double left, double top, double right, double bottom, double drop, double run) {
        GeneralPath flap = new GeneralPath();
        flap.moveTo(left, top + drop);
        flap.quadTo(left, top, left + run, top);
        flap.lineTo(right - run, top);
        flap.quadTo(right, top, right, top + drop);
        flap.lineTo(right, bottom);
        flap.lineTo(left, bottom);
        flap.closePath();
        return flap;
    }

    private static void wallet(Graphics2D g, Color c) {
        RoundRectangle2D body = new RoundRectangle2D.Double(260, 520, 680, 400, 40, 40);
        material(g, body, c);
        stitch(g, new RoundRectangle2D.Double(282, 542, 636, 356, 28, 28), c);
        material(g, flap(260, 520, 940, 640, 40, 40), lighter(c, 0.06));
        g.setColor(GOLD);
        g.fill(new RoundRectangle2D.Double(850, 610, 60, 40, 12, 12));
    }

    // ------------------------------------------------------------------------------------------ clothing

    private static void coat(Graphics2D g, Color c) {
        GeneralPath coat = new GeneralPath();
        coat.moveTo(520, 170);
        coat.lineTo(680, 170);
        coat.lineTo(820, 230);
        coat.quadTo(900, 270, 915, 380);
        coat.lineTo(960, 820);
        coat.lineTo(880, 830);
        coat.lineTo(830, 470);
        coat.lineTo(850, 960);
        coat.lineTo(350, 960);
        coat.lineTo(370, 470);
        coat.lineTo(320, 830);
        coat.lineTo(240, 820);
        coat.lineTo(285, 380);
        coat.quadTo(300, 270, 380, 230);
        coat.closePath();
        material(g, coat, c);
        GeneralPath lapels = new GeneralPath();
        lapels.moveTo(520, 170);
        lapels.lineTo(600, 470);
        lapels.lineTo(680, 170);
        lapels.moveTo(540, 180);
        lapels.lineTo(470, 300);
        lapels.lineTo(600, 470);
        lapels.moveTo(660, 180);
        lapels.lineTo(730, 300);
        lapels.lineTo(600, 470);
        line(g, lapels, darker(c, 0.35), 5f);
        line(g, new Rectangle2D.Double(600, 470, 0.1, 490), darker(c, 0.35), 4f);
        g.setColor(darker(c, 0.5));
        for (int y = 560; y <= 800; y += 120) {
            g.fill(new Ellipse2D.Double(620, y, 26, 26));
        }
    }

    private static void knit(Graphics2D g, Color c) {
        GeneralPath knit = new GeneralPath();
        knit.moveTo(500, 230);
        knit.quadTo(600, 290, 700, 230);
        knit.lineTo(840, 280);
        knit.quadTo(910, 310, 925, 420);
        knit.lineTo(975, 800);
        knit.lineTo(885, 815);
        knit.lineTo(830, 500);
        knit.lineTo(840, 930);
        knit.lineTo(360, 930);
        knit.lineTo(370, 500);
        knit.lineTo(315, 815);
        knit.lineTo(225, 800);
        knit.lineTo(275, 420);
        knit.quadTo(290, 310, 360, 280);
        knit.closePath();
        material(g, knit, c);
        Graphics2D rib = (Graphics2D) g.create();
        rib.clip(knit);
        rib.setStroke(new BasicStroke(3f));
        rib.setColor(darker(c, 0.22));
        for (int x = 360; x <= 840; x += 16) {
            rib.drawLine(x, 870, x, 930);
        }
        for (int x = 230; x <= 975; x += 16) {
            rib.drawLine(x, 760, x + 6, 815);
        }
        for (int x = 380; x <= 820; x += 40) { // cable knit
            rib.draw(new Arc2D.Double(x, 360, 40, 480, 90, 180, Arc2D.OPEN));
        }
        rib.dispose();
        line(g, new Arc2D.Double(500, 180, 200, 110, 180, 180, Arc2D.OPEN), darker(c, 0.3), 10f);
    }

    // ------------------------------------------------------------------------------------------ shoes

    private static void sneaker(Graphics2D g, Color c) {
        GeneralPath upper = new GeneralPath();
        upper.moveTo(220, 820);
        upper.quadTo(230, 700, 330, 660);
        upper.lineTo(520, 560);
        upper.quadTo(560, 520, 620, 520);
        upper.lineTo(760, 470);
        upper.quadTo(840, 450, 860, 520);
        upper.lineTo(900, 700);
        upper.quadTo(990, 730, 990, 820);
        upper.closePath();
        material(g, upper, c);
        RoundRectangle2D sole = new RoundRectangle2D.Double(200, 800, 810, 90, 60, 60);
        material(g, sole, new Color(0xF4, 0xF1, 0xEA));
        line(g, new Rectangle2D.Double(215, 842, 780, 0.1), new Color(0xD8, 0xD2, 0xC6), 3f);
        for (int i = 0; i < 5; i++) { // laces
            double x = 560 + i * 48;
            line(g, new Rectangle2D.Double(x, 560 - i * 18, 44, 0.1), lighter(c, 0.6), 8f);
        }
        GeneralPath swoosh = new GeneralPath();
        swoosh.moveTo(380, 760);
        swoosh.quadTo(600, 760, 840, 640);
        line(g, swoosh, lighter(c, 0.45), 12f);
    }

    private static void loafer(Graphics2D g, Color c) {
        GeneralPath upper = new GeneralPath();
        upper.moveTo(230, 820);
        upper.quadTo(230, 650, 360, 630);
        upper.lineTo(600, 600);
        upper.quadTo(700, 590, 760, 640);
        upper.quadTo(960, 680, 990, 800);
        upper.quadTo(995, 830, 960, 830);
        upper.lineTo(240, 840);
        upper.closePath();
        material(g, upper, c);
        line(g, new Arc2D.Double(560, 600, 260, 120, 0, 180, Arc2D.OPEN), darker(c, 0.35), 6f);
        GeneralPath strap = new GeneralPath();
        strap.moveTo(560, 660);
        strap.quadTo(690, 700, 820, 660);
        line(g, strap, darker(c, 0.3), 16f);
        g.setColor(GOLD);
        g.fill(new RoundRectangle2D.Double(660, 662, 70, 26, 12, 12));
        material(g, new RoundRectangle2D.Double(220, 830, 790, 45, 30, 30), darker(c, 0.45));
    }

    // ------------------------------------------------------------------------------------------ accessories

    private static void scarf(Graphics2D g, Color c) {
        Graphics2D s = (Graphics2D) g.create();
        s.transform(AffineTransform.getRotateInstance(Math.toRadians(45), 600, 560));
        Rectangle2D square = new Rectangle2D.Double(330, 290, 540, 540);
        material(s, square, c);
        s.setStroke(new BasicStroke(22f));
        s.setColor(lighter(c, 0.55));
        s.draw(new Rectangle2D.Double(360, 320, 480, 480));
        s.setStroke(new BasicStroke(6f));
        s.setColor(GOLD);
        s.draw(new Rectangle2D.Double(395, 355, 410, 410));
        s.draw(new Ellipse2D.Double(480, 440, 240, 240));
        s.draw(new Ellipse2D.Double(540, 500, 120, 120));
        s.dispose();
    }

    private static void watch(Graphics2D g, Color c) {
        material(g, new RoundRectangle2D.Double(500, 110, 200, 360, 40, 40), c); // strap
        material(g, new RoundRectangle2D.Double(500, 680, 200, 330, 40, 40), c);
        Color metal = new Color(0xCF, 0xCC, 0xC4);
        material(g, new Ellipse2D.Double(370, 340, 460, 460), metal);
        g.setColor(new Color(0xFB, 0xF9, 0xF4));
        g.fill(new Ellipse2D.Double(410, 380, 380, 380));
        g.setColor(new Color(0x2A, 0x2A, 0x2A));
        for (int h = 0; h < 12; h++) {
            double a = Math.toRadians(h * 30);
            double x = 600 + 160 * Math.sin(a);
            double y = 570 - 160 * Math.cos(a);
            g.fill(new Ellipse2D.Double(x - 7, y - 7, 14, 14));
        }
        line(g, new Rectangle2D.Double(600, 470, 0.1, 100), new Color(0x2A, 0x2A, 0x2A), 10f);
        GeneralPath minute = new GeneralPath();
        minute.moveTo(600, 570);
        minute.lineTo(700, 500);
        line(g, minute, new Color(0x2A, 0x2A, 0x2A), 6f);
        material(g, new RoundRectangle2D.Double(822, 545, 40, 50, 10, 10), metal); // crown
    }

    private static void ring(Graphics2D g, Color c) {
        Area band = new Area(new Ellipse2D.Double(400, 430, 400, 440));
        band.subtract(new Area(new Ellipse2D.Double(450, 480, 300, 340)));
        material(g, band, c);
        line(g, new Arc2D.Double(425, 455, 350, 390, 110, 70, Arc2D.OPEN), lighter(c, 0.6), 8f);
        GeneralPath stone = new GeneralPath(); // a brilliant seen from the side
        stone.moveTo(520, 430);
        stone.lineTo(560, 370);
        stone.lineTo(640, 370);
        stone.lineTo(680, 430);
        stone.lineTo(600, 520);
        stone.closePath();
        g.setPaint(new GradientPaint(520, 370, new Color(0xFF, 0xFF, 0xFF), 680, 520, new Color(0xB9, 0xC6, 0xD2)));
        g.fill(stone);
        line(g, stone, new Color(0x9A, 0xA6, 0xB2), 3f);
        GeneralPath facets = new GeneralPath();
        facets.moveTo(520, 430);
        facets.lineTo(680, 430);
        facets.moveTo(560, 370);
        facets.lineTo(600, 430);
        facets.lineTo(640, 370);
        facets.moveTo(600, 430);
        facets.lineTo(600, 520);
        line(g, facets, new Color(0x9A, 0xA6, 0xB2), 2f);
    }
}
