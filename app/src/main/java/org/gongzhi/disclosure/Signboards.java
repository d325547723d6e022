package org.gongzhi.disclosure;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.gongzhi.disclosure.PublicOutfalls.PublicOutfall;
import org.gongzhi.platform.PdfDocuments;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

/**
 * QR codes and printable signboards (标识牌). The layout follows GB 15562.1 practice for discharge outlets (green
 * background, white text, 480 × 300 mm flat board) with the fields recommended in outfall-regulation.md §4.1 (HJ 1309
 * §7's own field list was not available): name, national code, type, responsible parties with 统一社会信用代码,
 * receiving water, region, coordinates, discharge mode, regime, the decision or registration number with its date,
 * supervising bureau, the report phone, and the QR code
 * of the outfall's public page. Only public fields are printed: a field switched off is left off the board.
 */
@Service
public class Signboards {

    /** GB 15562.1 signboards: green ground, white graphics. */
    static final String GREEN = "#0b7a3e";

    private final PdfDocuments pdf;
    private final String reportPhone;

    Signboards(PdfDocuments pdf, @Value("${gongzhi.disclosure.report-phone:12369}") String reportPhone) {
        this.pdf = pdf;
        this.reportPhone = reportPhone;
    }

    /** One line of a signboard: label and value. */
    public record Line(String label, String value) {
    }

    public String reportPhone() {
        return reportPhone;
    }

    /** The lines printed on the board, in order; public fields only. */
    public List<Line> lines(PublicOutfall o) {
        List<Line> lines = new ArrayList<>();
        lines.add(new Line("排污口名称", o.name()));
        lines.add(new Line("排污口编码", o.nationalCode()));
        if (o.typeZh() != null) {
            lines.add(new Line("排污口类型", o.typeZh()));
        }
        if (!o.parties().isEmpty()) {
            lines.add(new Line("责任主体", String.join("；", o.parties().stream()
                    .map(p -> p.name() + (p.uscc() == null ? "" : "（" + p.uscc() + "）")).toList())));
        }
        if (o.waterBody() != null) {
            lines.add(new Line("受纳水体", o.waterBody()));
        }
        if (o.regionName() != null) {
            lines.add(new Line("所在行政区", o.regionName()));
        }
        if (o.longitude() != null) {
            lines.add(new Line("经纬度", String.format(Locale.ROOT, "E%.6f° N%.6f°（CGCS2000）", o.longitude(), o.latitude())));
        }
        if (o.dischargeMode() != null) {
            lines.add(new Line("排放方式", o.dischargeMode() + (o.dischargePattern() == null ? "" : "，" + o.dischargePattern())));
        }
        if (o.regimeZh() != null) {
            lines.add(new Line("监管方式", o.regimeZh()));
        }
        if (o.legalBasis() != null) {
            // outfall-regulation.md §4.1: "审批决定书文号 or 登记编号, date" (the legal basis)
            lines.add(new Line(o.legalBasis().kind() == org.gongzhi.approval.PublicLegalBasis.Kind.APPROVAL ? "审批决定书文号" : "登记编号",
                    o.legalBasis().number() + (o.legalBasis().date() == null ? "" : "（" + o.legalBasis().date() + "）")));
        }
        if (o.bureau() != null) {
            lines.add(new Line("监督管理部门", o.bureau()));
        }
        lines.add(new Line("监督举报电话", reportPhone));
        return lines;
    }

    static BitMatrix qr(String text) {
        try {
            // Level M survives a scratched or weathered board; margin 0 because the board draws its own white border.
            return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 0,
                            EncodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode a QR code for " + text, e);
        }
    }

    /** The QR modules as one SVG path in a square of {@code size} units at (x, y), on a white quiet zone of 4 modules. */
    static String qrSvgGroup(String text, double x, double y, double size) {
        BitMatrix m = qr(text);
        int n = m.getWidth();
        double unit = size / (n + 8);
        StringBuilder path = new StringBuilder();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < n; c++) {
                if (m.get(c, r)) {
                    path.append('M').append(fmt(x + (c + 4) * unit)).append(' ').append(fmt(y + (r + 4) * unit))
                            .append('h').append(fmt(unit)).append('v').append(fmt(unit)).append('h').append(fmt(-unit)).append('z');
                }
            }
        }
        return "<rect x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\" width=\"" + fmt(size) + "\" height=\"" + fmt(size)
                + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/>";
    }

    /** A QR code alone, as SVG. */
    public String qrSvg(String url) {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 100 100\" width=\"100mm\" height=\"100mm\" role=\"img\">"
                + "<title>" + esc(url) + "</title>" + qrSvgGroup(url, 0, 0, 100) + "</svg>";
    }

    /** A QR code alone, as PNG, about {@code pixels} wide. */
    public byte[] qrPng(String url, int pixels) {
        BitMatrix m = qr(url);
        int n = m.getWidth() + 8;
        int scale = Math.max(1, pixels / n);
        BufferedImage img = new BufferedImage(n * scale, n * scale, BufferedImage.TYPE_BYTE_BINARY);
        for (int py = 0; py < n * scale; py++) {
            for (int px = 0; px < n * scale; px++) {
                int c = px / scale - 4;
                int r = py / scale - 4;
                boolean dark = c >= 0 && r >= 0 && c < m.getWidth() && r < m.getHeight() && m.get(c, r);
                img.setRGB(px, py, dark ? 0xFF000000 : 0xFFFFFFFF);
            }
        }
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The signboard as SVG in millimetres (480 × 300), for a sign maker. */
    public String svg(PublicOutfall o, String url) {
        StringBuilder sb = new StringBuilder(32_000);
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 480 300\" width=\"480mm\" height=\"300mm\" ")
                .append("font-family=\"'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif\" role=\"img\">")
                .append("<title>入河排污口标识牌 ").append(esc(o.name())).append("</title>")
                .append("<rect width=\"480\" height=\"300\" rx=\"6\" fill=\"").append(GREEN).append("\"/>")
                .append("<rect x=\"6\" y=\"6\" width=\"468\" height=\"288\" rx=\"4\" fill=\"none\" stroke=\"#fff\" stroke-width=\"1.5\"/>")
                .append("<text x=\"240\" y=\"34\" text-anchor=\"middle\" font-size=\"20\" font-weight=\"bold\" fill=\"#fff\">入河排污口标识牌</text>");
        List<Line> lines = lines(o);
        double y = 60;
        double step = Math.min(20, 220.0 / lines.size());
        for (Line l : lines) {
            String value = l.value();
            // The text column is about 300 mm wide: shrink long values rather than run into the QR code.
            double size = Math.min(11, 290.0 / Math.max(1, l.label().length() + 1 + value.length()));
            sb.append("<text x=\"20\" y=\"").append(fmt(y)).append("\" font-size=\"").append(fmt(Math.max(size, 5)))
                    .append("\" fill=\"#fff\"><tspan font-weight=\"bold\">").append(esc(l.label())).append("：</tspan>")
                    .append(esc(value)).append("</text>");
            y += step;
        }
        sb.append(qrSvgGroup(url, 338, 60, 122))
                .append("<text x=\"399\" y=\"198\" text-anchor=\"middle\" font-size=\"8\" fill=\"#fff\">扫码查看排污口信息、在线监测数据</text>")
                .append("<text x=\"399\" y=\"210\" text-anchor=\"middle\" font-size=\"8\" fill=\"#fff\">发现问题请扫码或拨打 ")
                .append(esc(reportPhone)).append(" 反映</text>")
                .append("<text x=\"240\" y=\"288\" text-anchor=\"middle\" font-size=\"7\" fill=\"#fff\">")
                .append("依据《入河排污口监督管理办法》（生态环境部令第35号）设置</text></svg>");
        return sb.toString();
    }

    /** The signboards of these outfalls as one PDF, a 480 × 300 mm page each. */
    public byte[] pdf(List<PublicOutfall> outfalls, java.util.function.Function<PublicOutfall, String> urls) {
        List<Map<String, Object>> boards = outfalls.stream().map(o -> Map.<String, Object>of("outfall", o, "lines", lines(o),
                "qr", "data:image/png;base64," + Base64.getEncoder().encodeToString(qrPng(urls.apply(o), 600)))).toList();
        return pdf.render("disclosure/signboard", Map.of("boards", boards, "green", GREEN, "phone", reportPhone),
                Locale.SIMPLIFIED_CHINESE);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.3f", d);
    }

    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
