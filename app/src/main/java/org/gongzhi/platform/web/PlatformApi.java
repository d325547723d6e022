package org.gongzhi.platform.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.gongzhi.platform.AuditLog;
import org.gongzhi.platform.Basin;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.ForbiddenException;
import org.gongzhi.platform.NotFoundException;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Region;
import org.gongzhi.platform.Regions;
import org.gongzhi.platform.WaterBodies;
import org.gongzhi.platform.WaterBody;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Reference data and organizations under /api/v1. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Platform 平台", description = "Regions (GB/T 2260), water bodies, organizations, audit")
class PlatformApi {

    private final Regions regions;
    private final WaterBodies waterBodies;
    private final Organizations organizations;
    private final AuditLog audit;

    PlatformApi(Regions regions, WaterBodies waterBodies, Organizations organizations, AuditLog audit) {
        this.regions = regions;
        this.waterBodies = waterBodies;
        this.organizations = organizations;
        this.audit = audit;
    }

    @GetMapping("/regions")
    @Operation(summary = "Provinces, or the children of a region (?parent=320500)")
    List<Region> regions(@RequestParam(required = false) String parent) {
        if (parent == null) {
            return regions.provinces();
        }
        regions.find(parent).orElseThrow(() -> new NotFoundException("region " + parent));
        return regions.children(parent);
    }

    @GetMapping("/regions/{code}")
    @Operation(summary = "A region with its path from the province down")
    List<Region> region(@PathVariable String code) {
        regions.find(code).orElseThrow(() -> new NotFoundException("region " + code));
        return regions.path(code);
    }

    @GetMapping("/water-bodies")
    List<WaterBody> waterBodies() {
        return waterBodies.all();
    }

    record WaterBodyWrite(String name, WaterBody.Kind kind, Basin basin, String hj932Code, String targetClass,
                          String regionCode) {
    }

    @PostMapping("/water-bodies")
    @ResponseStatus(HttpStatus.CREATED)
    WaterBody createWaterBody(@RequestBody WaterBodyWrite w, CurrentUser user) {
        if (!user.canEditLedger()) {
            throw new ForbiddenException("role " + user.role() + " cannot add water bodies");
        }
        return waterBodies.create(w.name(), w.kind(), w.basin(), w.hj932Code(), w.targetClass(), w.regionCode(), regions);
    }

    @GetMapping("/organizations")
    @Operation(summary = "Regulators or responsible parties visible to the caller (?kind=PARTY)")
    List<Organization> organizations(@RequestParam(defaultValue = "PARTY") Organization.Kind kind, CurrentUser user) {
        return organizations.visibleTo(user, kind);
    }

    @PostMapping("/organizations")
    @ResponseStatus(HttpStatus.CREATED)
    Organization createOrganization(@RequestBody Organization o, CurrentUser user) {
        if (!user.canEditLedger()) {
            throw new ForbiddenException("role " + user.role() + " cannot add organizations");
        }
        if (o.kind() == Organization.Kind.REGULATOR && user.role() != org.gongzhi.platform.Role.ADMIN) {
            throw new ForbiddenException("only administrators add regulators");
        }
        return organizations.create(o, user);
    }

    @GetMapping("/me")
    CurrentUser me(CurrentUser user) {
        return user;
    }

    @GetMapping("/audit/verify")
    @Operation(summary = "Recompute the audit log's hash chain and name the first broken entry, if any (national administrators)")
    AuditLog.Verification verifyAudit(CurrentUser user) {
        requireNational(user);
        return audit.verify();
    }

    @GetMapping("/audit")
    @Operation(summary = "The latest audit entries (national administrators: the log is one chain for the whole country)")
    List<AuditLog.Entry> auditLatest(@RequestParam(defaultValue = "100") int limit, CurrentUser user) {
        requireNational(user);
        return audit.latest(Math.min(Math.max(limit, 1), 1000));
    }

    /** The audit log is not cut by jurisdiction (its entries carry whole records), so only national users read it. */
    private static void requireNational(CurrentUser user) {
        if (user.jurisdiction().scope() != org.gongzhi.platform.Jurisdiction.Scope.NATIONAL) {
            throw new ForbiddenException("the audit log is read by national administrators only");
        }
    }
}
