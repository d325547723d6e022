package org.gongzhi.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/** A printed document must carry its Chinese text as text (searchable, copyable), in an embedded font. */
class PdfDocumentsTest {

    @Test
    void rendersChineseTextWithAnEmbeddedFont() throws Exception {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/");
        resolver.setSuffix(".html");
        SpringTemplateEngine engine = new SpringTemplateEngine();
        engine.setTemplateResolver(resolver);
        PdfDocuments pdfs = new PdfDocuments(engine, "");
        assertThat(pdfs.available()).as("scripts/test.sh installs fonts-droid-fallback").isTrue();

        byte[] pdf = pdfs.render("pdf/test-document", Map.of("title", "受理通知书", "code", "320506W00001"), Locale.CHINA);

        assertThat(new String(pdf, 0, 5)).isEqualTo("%PDF-");
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("受理通知书", "入河排污口 320506W00001", "第二行");
            PDFont font = doc.getPage(0).getResources().getFont(
                    doc.getPage(0).getResources().getFontNames().iterator().next());
            assertThat(font.isEmbedded()).isTrue();
        }
    }
}
