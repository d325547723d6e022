package org.gongzhi.platform;

import com.openhtmltopdf.pdfboxout.PdfRendererBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jsoup.Jsoup;
import org.jsoup.helper.W3CDom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Printable documents (notices, decisions, receipts, monthly reports, signboards): a Thymeleaf template rendered to
 * PDF. Chinese text needs a font with CJK glyphs embedded in the file, so every document uses the font family
 * {@value #FONT_FAMILY} in its CSS; the font is a TrueType file (PDFBox cannot embed the CFF outlines of Noto CJK),
 * by default Debian's {@code fonts-droid-fallback}, which scripts/run-demo.sh and scripts/test.sh install.
 *
 * <p>Templates live under {@code templates/}, are ordinary Thymeleaf HTML, and are parsed leniently (jsoup), so they
 * need not be strict XHTML. A4 and other page sizes are set with CSS {@code @page}.
 */
@Component
public class PdfDocuments {

    /** The CSS font-family name every PDF template uses for its text. */
    public static final String FONT_FAMILY = "gz-cjk";

    private static final Logger log = LoggerFactory.getLogger(PdfDocuments.class);
    private static final List<String> FALLBACK_FONTS = List.of(
            "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
            "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
            "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf");

    private final ITemplateEngine templates;
    private final Optional<Path> font;

    PdfDocuments(ITemplateEngine templates, @Value("${gongzhi.pdf.font:}") String configuredFont) {
        this.templates = templates;
        this.font = findFont(configuredFont);
        if (font.isEmpty()) {
            log.warn("No CJK TrueType font found (gongzhi.pdf.font or {}); PDF documents cannot be produced until one "
                    + "is installed: apt-get install fonts-droid-fallback", FALLBACK_FONTS);
        }
    }

    static Optional<Path> findFont(String configured) {
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isReadable(path)) {
                throw new IllegalStateException("gongzhi.pdf.font: cannot read " + path);
            }
            return Optional.of(path);
        }
        return FALLBACK_FONTS.stream().map(Path::of).filter(Files::isReadable).findFirst();
    }

    /** Whether a CJK font is installed, so documents can be produced. */
    public boolean available() {
        return font.isPresent();
    }

    /** Renders the HTML a template produces for the model. */
    public String html(String template, Map<String, ?> model, Locale locale) {
        return templates.process(template, new Context(locale, Map.copyOf(model)));
    }

    /** Renders a template to PDF bytes. */
    public byte[] render(String template, Map<String, ?> model, Locale locale) {
        return fromHtml(html(template, model, locale));
    }

    /** Converts HTML (not necessarily well-formed XHTML) to PDF bytes. */
    public byte[] fromHtml(String html) {
        Path fontFile = font.orElseThrow(() -> new IllegalStateException(
                "PDF documents need a CJK TrueType font: apt-get install fonts-droid-fallback, or set gongzhi.pdf.font"));
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024)) {
            PdfRendererBuilder builder = new PdfRendererBuilder();
            builder.useFastMode();
            builder.useFont(fontFile.toFile(), FONT_FAMILY);
            builder.withW3cDocument(new W3CDom().fromJsoup(Jsoup.parse(html)), "/");
            builder.toStream(out);
            builder.run();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("PDF rendering failed", e);
        }
    }
}
