package org.gongzhi.supervision;

import java.time.LocalDate;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.springframework.stereotype.Service;

/**
 * The supervision module's public API for other modules: schedule an inspection (a public request or a finding
 * calls for one), start a campaign and feed it level-1 survey points (an integration, or the demo city). Everything
 * else is reached over HTTP. Each call is checked and scoped exactly as the REST API's.
 */
@Service
public class Supervision {

    /** Why an inspection is scheduled outside a plan. */
    public enum InspectionOrigin { AD_HOC, FINDING, PUBLIC_REQUEST }

    private final Campaigns campaigns;
    private final PointImport pointImport;
    private final Inspections inspections;

    Supervision(Campaigns campaigns, PointImport pointImport, Inspections inspections) {
        this.campaigns = campaigns;
        this.pointImport = pointImport;
        this.inspections = inspections;
    }

    /**
     * Schedules an inspection of an outfall for an inspector (username; null for the caller) on a day; returns its id.
     * {@code reference} is the finding's or the public request's id.
     */
    public long scheduleInspection(Long outfallId, InspectionOrigin origin, String reference, String inspector, LocalDate day,
                                   CurrentUser user) {
        return inspections.createAdHoc(new Inspections.AdHocInput(outfallId, Inspections.Origin.valueOf(origin.name()),
                reference, inspector, day), user).id();
    }

    /** Starts a city or county self-check campaign (市县自查) over a region; returns its id. */
    public long startCampaign(String name, String regionCode, LocalDate startsOn, LocalDate endsOn, CurrentUser user) {
        return campaigns.create(new Campaigns.CampaignInput(name, Campaigns.Level.SELF_CHECK, regionCode, List.of(), startsOn,
                endsOn, List.of(), null), user).id();
    }

    /** Whether the caller can see a campaign of this name (demo data and integrations stay idempotent with it). */
    public boolean campaignExists(String name, CurrentUser user) {
        return campaigns.list(user).stream().anyMatch(c -> c.name().equals(name));
    }

    /**
     * Imports level-1 points (CSV, XLSX or GeoJSON) into a campaign; returns how many were new. Invalid input is refused
     * with the row report as an {@link org.gongzhi.platform.InvalidInputException}.
     */
    public int importPoints(long campaignId, String filename, byte[] content, CurrentUser user) {
        PointImport.Report r = pointImport.importPoints(campaignId, filename, content, false, user);
        if (!r.problems().isEmpty()) {
            throw new org.gongzhi.platform.InvalidInputException(r.problems());
        }
        return r.created();
    }
}
