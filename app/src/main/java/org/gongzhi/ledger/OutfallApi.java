package org.gongzhi.ledger;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** REST API of the ledger under /api/v1. Results are always cut to the caller's jurisdiction. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Ledger 台账", description = "Outfalls (入河排污口): search, detail, history, create, change")
class OutfallApi {

    private final Ledger ledger;
    private final OutfallTypes types;

    OutfallApi(Ledger ledger, OutfallTypes types) {
        this.ledger = ledger;
        this.types = types;
    }

    /** Body of POST and PUT: the outfall, why it is written, and (for PUT) the version the change is based on. */
    record OutfallWrite(OutfallDraft outfall, String reason, Integer version) {
    }

    @GetMapping("/outfalls")
    @Operation(summary = "Search the ledger", description = "Filters combine with AND; region includes all regions below it; "
            + "asOf returns the ledger as it stood at that instant (ISO-8601). total stops at 10,000 (totalExact false).")
    LedgerPage<Outfall> search(@ParameterObject LedgerFilters filters, @RequestParam(required = false) LedgerQuery.Sort sort,
                               @RequestParam(defaultValue = "false") boolean desc,
                               @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size,
                               CurrentUser user) {
        return ledger.search(filters.query(sort, desc, page, size), user);
    }

    @GetMapping("/outfalls/{id}")
    @Operation(summary = "One outfall, now or as of a past instant")
    Outfall get(@PathVariable long id, @RequestParam(required = false) Instant asOf, CurrentUser user) {
        return asOf == null ? ledger.find(id, user) : ledger.findAsOf(id, asOf, user);
    }

    @GetMapping("/outfalls/{id}/history")
    @Operation(summary = "Every version of an outfall, with who, when, why and which fields changed")
    List<Ledger.Change> history(@PathVariable long id, CurrentUser user) {
        return ledger.history(id, user);
    }

    @PostMapping("/outfalls")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add an outfall to the ledger; the national code is issued unless supplied")
    Outfall create(@RequestBody OutfallWrite body, CurrentUser user) {
        return ledger.create(body.outfall(), body.reason(), user);
    }

    @PutMapping("/outfalls/{id}")
    @Operation(summary = "Change an outfall; needs the version it is based on and a reason")
    Outfall update(@PathVariable long id, @RequestBody OutfallWrite body, CurrentUser user) {
        return ledger.update(id, body.outfall(), body.version() == null ? -1 : body.version(), body.reason(), user);
    }

    @GetMapping("/outfall-types")
    @Operation(summary = "The HJ 1312 taxonomy and the regime each type falls under")
    List<OutfallType> types() {
        return types.all();
    }
}
