package org.gongzhi.approval;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.PdfDocuments;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.StoredFiles;
import org.gongzhi.platform.WaterBodies;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The notices and decisions of a case as PDF (受理通知书, 补正通知书, 准予设置决定书, 不予许可决定书, 登记回执, 延期通知书,
 * 退回通知), with Chinese fonts and a verification code printed and as a QR code. The PDF is generated once, stored
 * (stored_file) with its SHA-256, and never regenerated: approval_document refuses UPDATE and DELETE by trigger, so
 * what the applicant downloads later is the copy that was issued.
 */
@Component
class ApprovalDocuments {

    /** Verification codes: 12 characters of Crockford base32 (60 bits), unguessable and easy to type. */
    private static final char[] CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    static final Map<String, String[]> TITLES = Map.of(
            "ACCEPTANCE", new String[] {"受理通知书", "Notice of acceptance"},
            "SUPPLEMENT", new String[] {"补正材料通知书", "Notice to supplement"},
            "DECISION", new String[] {"入河排污口设置准予行政许可决定书", "Approval decision"},
            "REFUSAL", new String[] {"不予行政许可决定书", "Refusal decision"},
            "REGISTRATION_RECEIPT", new String[] {"入河排污口登记回执", "Registration receipt"},
            "RETURN", new String[] {"退回通知", "Notice of return"},
            "EXTENSION", new String[] {"延长审批期限通知书", "Notice of extension"},
            "NOT_ACCEPTED", new String[] {"不予受理通知书", "Notice of non-acceptance"});

    private final ApprovalCases cases;
    private final StoredFiles files;
    private final PdfDocuments pdf;
    private final Regions regions;
    private final WaterBodies waterBodies;
    private final Organizations organizations;
    private final String verifyUrl;

    ApprovalDocuments(ApprovalCases cases, StoredFiles files, PdfDocuments pdf, Regions regions, WaterBodies waterBodies,
                      Organizations organizations,
                      @Value("${gongzhi.approval.verification-url:http://localhost:8080/approvals/verify/}") String verifyUrl) {
        this.cases = cases;
        this.files = files;
        this.pdf = pdf;
        this.regions = regions;
        this.waterBodies = waterBodies;
        this.organizations = organizations;
        this.verifyUrl = verifyUrl;
    }

    StoredFiles.StoredFile storeUpload(long caseId, String filename, byte[] content, CurrentUser user) {
        return files.store("approval_case", caseId, StoredFiles.Kind.DOCUMENT, filename, content, user);
    }

    /** Generates, stores and registers one document of the case as it now stands. */
    ApprovalCase.Document issue(ApprovalCase c, String kind, LocalDate on, CurrentUser user) {
        String code = code();
        String number = number(c, kind);
        Map<String, Object> model = new HashMap<>();
        model.put("c", c);
        model.put("kind", kind);
        model.put("title", TITLES.get(kind)[0]);
        model.put("number", number);
        model.put("issuedOn", on);
        model.put("code", code);
        model.put("verifyUrl", verifyUrl + code);
        model.put("qr", qrDataUri(verifyUrl + code));
        model.put("authority", authorityName(c.authority()));
        model.put("place", regions.fullName(c.outfall().regionCode()));
        model.put("waterBody", c.outfall().waterBodyId() == null ? null
                : waterBodies.find(c.outfall().waterBodyId()).map(w -> w.name()).orElse(null));
        model.put("pauses", cases.pauses(c.id()));
        model.put("modeZh", c.decision() == null || c.decision().dischargeMode() == null ? ""
                : org.gongzhi.ledger.DischargeMode.valueOf(c.decision().dischargeMode()).zh());
        model.put("refusalReasons", cases.refusalReasons().stream()
                .filter(r -> c.refusalCodes().contains(r.code())).toList());
        model.put("shareNames", organizations.byIds(c.application().shares().stream()
                .map(ApprovalCase.PartyShare::organizationId).toList()).entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey(), e -> e.getValue().name())));
        byte[] bytes = pdf.render("approval/pdf/document", model, Locale.SIMPLIFIED_CHINESE);
        StoredFiles.StoredFile stored = files.store("approval_case", c.id(), StoredFiles.Kind.DOCUMENT,
                TITLES.get(kind)[0] + "-" + number + ".pdf", bytes, user);
        cases.insertDocument(c.id(), kind, number, code, stored.id(), stored.sha256(), on, user.username());
        return cases.documents(c.id()).stream().filter(d -> d.verificationCode().equals(code)).findFirst().orElseThrow();
    }

    /** The stored bytes of a material or document (the caller has checked that the file belongs to a case it may see). */
    byte[] fileContent(long fileId) {
        return files.content(fileId);
    }

    Optional<ApprovalCase.Document> byCode(String code) {
        return code == null ? Optional.empty() : cases.documentByCode(code.trim().toUpperCase(Locale.ROOT));
    }

    /** e.g. 苏州市 市级生态环境主管部门, or the basin bureau. */
    String authorityName(ApprovalCase.Authority a) {
        return switch (a.level()) {
            case "BASIN_BUREAU" -> a.basin() + " 流域生态环境监督管理局";
            case "PROVINCE" -> regions.fullName(a.regionCode()) + "生态环境厅";
            default -> regions.fullName(a.regionCode()) + "生态环境局";
        };
    }

    private static String number(ApprovalCase c, String kind) {
        return switch (kind) {
            case "DECISION", "REFUSAL" -> c.decisionNumber();
            case "ACCEPTANCE", "REGISTRATION_RECEIPT" -> c.caseNumber();
            case "EXTENSION" -> c.caseNumber() + "-延";
            default -> "收件第" + c.id() + "号-" + switch (kind) {
                case "SUPPLEMENT" -> "补";
                case "NOT_ACCEPTED" -> "不受";
                default -> "退";
            } + c.version();
        };
    }

    static String code() {
        char[] out = new char[12];
        for (int i = 0; i < out.length; i++) {
            out[i] = CODE_ALPHABET[RANDOM.nextInt(CODE_ALPHABET.length)];
        }
        return new String(out);
    }

    static String qrDataUri(String text) {
        try {
            BitMatrix m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, Map.of(EncodeHintType.MARGIN, 1));
            int scale = 4;
            BufferedImage img = new BufferedImage(m.getWidth() * scale, m.getHeight() * scale, BufferedImage.TYPE_BYTE_BINARY);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, m.get(x / scale, y / scale) ? 0x000000 : 0xFFFFFF);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (WriterException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
