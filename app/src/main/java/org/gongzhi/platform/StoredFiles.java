package org.gongzhi.platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Photos and documents attached to things (an outfall's photos, a decision document). The content type is decided
 * from the file's first bytes, never from its name or the browser's claim, and sizes are capped, so a renamed
 * executable or an HTML page cannot be stored and served back as a "photo".
 */
@Service
public class StoredFiles {

    public enum Kind { PHOTO, DOCUMENT }

    /** A stored file without its content. */
    public record StoredFile(long id, String ownerType, long ownerId, Kind kind, String filename, String contentType,
                             long sizeBytes, String sha256, String uploadedBy, Instant uploadedAt) {
        public boolean image() {
            return contentType.startsWith("image/");
        }
    }

    private final JdbcClient jdbc;
    private final AuditLog audit;
    private final long maxPhotoBytes;
    private final long maxDocumentBytes;
    private final long dailyBytesPerAccount;

    public StoredFiles(JdbcClient jdbc, AuditLog audit,
                       @Value("${gongzhi.files.max-photo-bytes:10485760}") long maxPhotoBytes,
                       @Value("${gongzhi.files.max-document-bytes:20971520}") long maxDocumentBytes,
                       @Value("${gongzhi.files.daily-bytes-per-account:536870912}") long dailyBytesPerAccount) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.maxPhotoBytes = maxPhotoBytes;
        this.maxDocumentBytes = maxDocumentBytes;
        this.dailyBytesPerAccount = dailyBytesPerAccount;
    }

    /** The content type that the bytes themselves show, or empty when they are not a type we accept. */
    static Optional<String> sniff(byte[] b) {
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return Optional.of("image/jpeg");
        }
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of("image/png");
        }
        if (b.length >= 12 && startsWith(b, 'R', 'I', 'F', 'F') && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return Optional.of("image/webp");
        }
        if (startsWith(b, '%', 'P', 'D', 'F', '-')) {
            return Optional.of("application/pdf");
        }
        if (startsWith(b, 'P', 'K', 3, 4)) {
            // An Office Open XML package names its parts in the zip's local headers near the start.
            String head = new String(b, 0, Math.min(b.length, 65536), StandardCharsets.ISO_8859_1);
            if (head.contains("[Content_Types].xml") || head.contains("word/") || head.contains("xl/")) {
                if (head.contains("word/")) {
                    return Optional.of("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
                }
                if (head.contains("xl/")) {
                    return Optional.of("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
                }
            }
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Stores a file after checking its type and size; joins the caller's transaction with its audit entry. */
    @Transactional
    public StoredFile store(String ownerType, long ownerId, Kind kind, String filename, byte[] content, CurrentUser by) {
        String name = safeName(filename);
        if (content == null || content.length == 0) {
            throw new InvalidInputException(FieldProblem.of("file", name, "文件为空", "the file is empty"));
        }
        long max = kind == Kind.PHOTO ? maxPhotoBytes : maxDocumentBytes;
        if (content.length > max) {
            throw new InvalidInputException(FieldProblem.of("file", name, "文件超过 " + max / 1048576 + " MB 上限",
                    "the file is larger than the " + max / 1048576 + " MB limit"));
        }
        String type = sniff(content).orElseThrow(() -> new InvalidInputException(FieldProblem.of("file", name,
                "不支持的文件格式（照片：JPEG/PNG/WebP；文件：PDF、Word、Excel），按文件内容判断",
                "unsupported format (photos: JPEG/PNG/WebP; documents: PDF, Word, Excel), judged by the content")));
        if (kind == Kind.PHOTO && !type.startsWith("image/")) {
            throw new InvalidInputException(FieldProblem.of("file", name, "照片须为JPEG、PNG或WebP图片",
                    "a photo must be a JPEG, PNG or WebP image"));
        }
        requireQuota(by, name, content.length);
        String sha = sha256(content);
        long id = jdbc.sql("""
                INSERT INTO stored_file (owner_type, owner_id, kind, filename, content_type, size_bytes, sha256, content,
                                         uploaded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")
                .params(ownerType, ownerId, kind.name(), name, type, content.length, sha, content, by.username())
                .query(Long.class).single();
        StoredFile stored = find(id).orElseThrow();
        audit.record(by, "ATTACH_FILE", ownerType, String.valueOf(ownerId), null, null, stored);
        return stored;
    }

    /**
     * Files live in the database, so one account (a party's, or a stolen one) must not fill its disk: an account
     * stores at most {@code gongzhi.files.daily-bytes-per-account} in any 24 hours (0: no limit). Uploads without an
     * account (citizens' photos) are bounded by the requests module's limits per address and device instead. The
     * lock per account makes two parallel uploads count each other.
     */
    private void requireQuota(CurrentUser by, String name, long size) {
        if (dailyBytesPerAccount <= 0 || by.id() == 0) {
            return;
        }
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('stored_file:' || ?))").param(by.username()).query().listOfRows();
        long used = jdbc.sql("""
                SELECT coalesce(sum(size_bytes), 0) FROM stored_file
                WHERE uploaded_by = ? AND uploaded_at > now() - interval '24 hours'""")
                .param(by.username()).query(Long.class).single();
        if (used + size > dailyBytesPerAccount) {
            long mb = dailyBytesPerAccount / 1048576;
            throw new InvalidInputException(FieldProblem.of("file", name,
                    "本账号24小时内上传已达 " + mb + " MB 上限，请稍后再传或联系管理员",
                    "this account has reached its limit of " + mb + " MB of uploads in 24 hours; try later or ask an administrator"));
        }
    }

    /** The file's own name without path separators or control characters, at most 200 characters. */
    static String safeName(String filename) {
        String name = filename == null || filename.isBlank() ? "file" : filename.replaceAll("[\\\\/\\p{Cntrl}]", "_").trim();
        return name.length() > 200 ? name.substring(name.length() - 200) : name;
    }

    public List<StoredFile> list(String ownerType, long ownerId) {
        return jdbc.sql(SELECT + " WHERE owner_type = ? AND owner_id = ? ORDER BY id").params(ownerType, ownerId)
                .query(StoredFiles::map).list();
    }

    public Optional<StoredFile> find(long id) {
        return jdbc.sql(SELECT + " WHERE id = ?").param(id).query(StoredFiles::map).optional();
    }

    public byte[] content(long id) {
        return jdbc.sql("SELECT content FROM stored_file WHERE id = ?").param(id).query(byte[].class).single();
    }

    private static final String SELECT = "SELECT id, owner_type, owner_id, kind, filename, content_type, size_bytes, "
            + "sha256, uploaded_by, uploaded_at FROM stored_file";

    private static StoredFile map(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new StoredFile(rs.getLong(1), rs.getString(2), rs.getLong(3), Kind.valueOf(rs.getString(4)),
                rs.getString(5), rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9),
                rs.getTimestamp(10).toInstant());
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
