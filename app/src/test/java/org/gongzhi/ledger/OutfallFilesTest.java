package org.gongzhi.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.InvalidInputException;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Role;
import org.gongzhi.platform.StoredFiles;
import org.gongzhi.platform.security.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class OutfallFilesTest {

    @Autowired MockMvc mvc;
    @Autowired TestAccounts accounts;
    @Autowired Ledger ledger;
    @Autowired org.springframework.jdbc.core.simple.JdbcClient jdbc;
    @Autowired AuditLog audit;
    @Autowired org.springframework.transaction.support.TransactionTemplate tx;

    CurrentUser suzhou;
    Outfall outfall;

    @BeforeEach
    void setUp() {
        Organization bureau = accounts.regulator(Organization.Level.CITY, "320500");
        suzhou = accounts.user(Role.REGULATOR, bureau);
        outfall = ledger.create(new OutfallDraft(null, null, "苏州市吴中区照片测试排污口", "OTH_URBAN_STORM", Lifecycle.VERIFIED,
                "320506", null, 120.6, 31.2, null, null, null, List.of(), List.of(), List.of(), null), "test", suzhou);
    }

    static byte[] png() throws Exception {
        BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private String url() {
        return "/api/v1/outfalls/" + outfall.id() + "/files";
    }

    @Test
    void aPhotoIsStoredAndServedBackWithTheTypeItsBytesShow() throws Exception {
        byte[] png = png();
        // the browser claims JPEG and the name says .jpg; the bytes are PNG, and PNG is what is stored
        mvc.perform(multipart(url()).file(new MockMultipartFile("file", "现场照片.jpg", "image/jpeg", png))
                        .with(accounts.as(suzhou)).with(csrf()))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.contentType").value("image/png"))
                .andExpect(jsonPath("$.filename").value("现场照片.jpg"));
        String id = mvc.perform(get(url()).with(accounts.as(suzhou))).andExpect(jsonPath("$.length()").value(1))
                .andReturn().getResponse().getContentAsString().replaceAll("(?s).*\"id\":(\\d+).*", "$1");
        byte[] served = mvc.perform(get(url() + "/" + id).with(accounts.as(suzhou)))
                .andExpect(status().isOk()).andExpect(header().string("Content-Type", "image/png"))
                .andReturn().getResponse().getContentAsByteArray();
        assertThat(served).isEqualTo(png);

        CurrentUser wuxi = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320200"));
        mvc.perform(get(url()).with(accounts.as(wuxi))).andExpect(status().isNotFound());
        mvc.perform(get(url() + "/" + id).with(accounts.as(wuxi))).andExpect(status().isNotFound());
    }

    @Test
    void htmlDisguisedAsAPhotoAndOversizedFilesAreRefusedWithTheReason() throws Exception {
        byte[] html = "<html><script>alert(1)</script></html>".getBytes();
        mvc.perform(multipart(url()).file(new MockMultipartFile("file", "photo.jpg", "image/jpeg", html))
                        .with(accounts.as(suzhou)).with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].field").value("file"))
                .andExpect(jsonPath("$.errors[0].reason_en").value(org.hamcrest.Matchers.containsString("unsupported format")));
        byte[] pdf = "%PDF-1.7\n%âãÏÓ\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        mvc.perform(multipart(url()).file(new MockMultipartFile("file", "决定书.pdf", "application/pdf", pdf)).param("kind", "PHOTO")
                        .with(accounts.as(suzhou)).with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason_zh").value("照片须为JPEG、PNG或WebP图片"));
        byte[] big = Arrays.copyOf(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, 10 * 1024 * 1024 + 1);
        mvc.perform(multipart(url()).file(new MockMultipartFile("file", "big.jpg", "image/jpeg", big))
                        .with(accounts.as(suzhou)).with(csrf()))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[0].reason_en").value(org.hamcrest.Matchers.containsString("10 MB limit")));
        mvc.perform(get(url()).with(accounts.as(suzhou))).andExpect(jsonPath("$.length()").value(0));
    }

    @Test
    void inspectorsCanLookButNotAttach() throws Exception {
        CurrentUser inspector = accounts.user(Role.INSPECTOR, accounts.regulator(Organization.Level.CITY, "320500"));
        mvc.perform(multipart(url()).file(new MockMultipartFile("file", "a.png", "image/png", png()))
                        .with(accounts.as(inspector)).with(csrf()))
                .andExpect(status().isForbidden());
        mvc.perform(get(url()).with(accounts.as(inspector))).andExpect(status().isOk());
    }

    /** An account cannot fill the database with files: past its 24-hour quota the upload is refused, nothing stored. */
    @Test
    void anAccountPastItsDailyUploadQuotaIsRefusedWhileOthersStillUpload() throws Exception {
        byte[] png = png();
        StoredFiles quota = new StoredFiles(jdbc, audit, 10_485_760, 20_971_520, 2L * png.length);
        CurrentUser uploader = accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500"));
        store(quota, "1.png", png, uploader);
        store(quota, "2.png", png, uploader);
        assertThatThrownBy(() -> store(quota, "3.png", png, uploader))
                .isInstanceOfSatisfying(InvalidInputException.class, e -> {
                    assertThat(e.problems().get(0).field()).isEqualTo("file");
                    assertThat(e.problems().get(0).reasonZh()).contains("24小时内上传已达");
                    assertThat(e.problems().get(0).reasonEn()).contains("limit of").contains("uploads in 24 hours");
                });
        assertThat(quota.list("quota_test", outfall.id())).extracting(StoredFiles.StoredFile::filename)
                .containsExactly("1.png", "2.png");
        // Another account has its own quota; uploads without an account (citizens, bounded elsewhere) have none.
        store(quota, "4.png", png, accounts.user(Role.REGULATOR, accounts.regulator(Organization.Level.CITY, "320500")));
        store(quota, "5.png", png, CurrentUser.system());
        store(quota, "6.png", png, CurrentUser.system());
        store(quota, "7.png", png, CurrentUser.system());
        assertThat(quota.list("quota_test", outfall.id())).hasSize(6);
    }

    /** As the upload endpoints call it: in a transaction (its audit entry joins it). */
    private void store(StoredFiles files, String name, byte[] content, CurrentUser by) {
        tx.executeWithoutResult(t -> files.store("quota_test", outfall.id(), StoredFiles.Kind.PHOTO, name, content, by));
    }
}
