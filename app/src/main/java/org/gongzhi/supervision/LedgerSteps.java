package org.gongzhi.supervision;

import java.util.List;
import org.gongzhi.ledger.Ledger;
import org.gongzhi.ledger.Lifecycle;
import org.gongzhi.ledger.Outfall;
import org.gongzhi.ledger.OutfallDraft;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Jurisdiction;
import org.gongzhi.platform.Role;
import org.springframework.stereotype.Component;

/**
 * How supervision moves an outfall through the ledger (查测溯治管, ledger {@link Lifecycle}): always through the
 * ledger's public API, so each step is a version with who, when and why, and an audit entry.
 *
 * <p>An inspector may not edit the ledger in general, but the steps of field work that the regulation gives to
 * inspectors (a field verification confirming a suspected outfall, a sample taken) do change it. For those steps
 * the ledger is written on the inspector's behalf: same user, same jurisdiction, same name in the history and
 * the audit log, with the editor role for that one call.
 */
@Component
class LedgerSteps {

    private final Ledger ledger;

    LedgerSteps(Ledger ledger) {
        this.ledger = ledger;
    }

    Outfall find(long outfallId, CurrentUser user) {
        return ledger.find(outfallId, user);
    }

    static CurrentUser onBehalf(CurrentUser user) {
        if (user.role() == Role.INSPECTOR && user.jurisdiction().scope() != Jurisdiction.Scope.PARTY) {
            return new CurrentUser(user.id(), user.username(), user.displayName(), Role.REGULATOR, user.organizationId(),
                    user.organizationName(), user.jurisdiction());
        }
        return user;
    }

    Outfall create(OutfallDraft draft, String reason, CurrentUser user) {
        return ledger.create(draft, reason, onBehalf(user));
    }

    /**
     * Moves the outfall to {@code target} if the ledger allows it from where it stands; an outfall already past
     * that step (the ledger forbids going back) is left as it is. Returns the outfall as it is afterwards.
     */
    Outfall advance(long outfallId, Lifecycle target, String reason, CurrentUser user) {
        Outfall o = ledger.find(outfallId, user);
        if (o.lifecycle() == target || !o.lifecycle().canMoveTo(target)) {
            return o;
        }
        return ledger.update(outfallId, with(OutfallDraft.of(o), target, null), o.version(), reason, onBehalf(user));
    }

    /** Records the traced party as the outfall's only (lead) party and moves it to TRACED (溯源, HJ 1313). */
    Outfall traced(long outfallId, long partyId, String reason, CurrentUser user) {
        Outfall o = ledger.find(outfallId, user);
        Lifecycle target = o.lifecycle().canMoveTo(Lifecycle.TRACED) ? Lifecycle.TRACED : o.lifecycle();
        List<OutfallDraft.PartyRef> parties = List.of(new OutfallDraft.PartyRef(partyId, true, null));
        return ledger.update(outfallId, with(OutfallDraft.of(o), target, parties), o.version(), reason, onBehalf(user));
    }

    private static OutfallDraft with(OutfallDraft d, Lifecycle lifecycle, List<OutfallDraft.PartyRef> parties) {
        return new OutfallDraft(d.nationalCode(), d.localCode(), d.name(), d.typeCode(), lifecycle, d.regionCode(),
                d.waterBodyId(), d.longitude(), d.latitude(), d.dischargeMode(), d.dischargePattern(), d.designCapacity(),
                parties == null ? d.parties() : parties, d.samplingPoints(), d.inspectionWells(), d.signboard());
    }
}
