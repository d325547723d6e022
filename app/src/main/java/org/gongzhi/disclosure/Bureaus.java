package org.gongzhi.disclosure;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.gongzhi.platform.CurrentUser;
import org.gongzhi.platform.Organization;
import org.gongzhi.platform.Organizations;
import org.gongzhi.platform.Region;
import org.springframework.stereotype.Service;

/**
 * Which regulator (生态环境部门) answers for a place: the one seated at the most specific level whose region contains
 * it (the county bureau where one exists, else the city's, else the province's). Signboards name it as the
 * 监督管理部门 and public requests are dispatched to it (北京市接诉即办工作条例 Art 12: send straight to the unit
 * whose responsibility is clear; if only the district is known, to the district).
 */
@Service
public class Bureaus {

    private final Organizations organizations;

    Bureaus(Organizations organizations) {
        this.organizations = organizations;
    }

    /** The regulators whose region contains {@code regionCode}, most specific first (county, city, province). */
    public List<Organization> covering(String regionCode) {
        if (regionCode == null) {
            return List.of();
        }
        return organizations.visibleTo(CurrentUser.system(), Organization.Kind.REGULATOR).stream()
                .filter(o -> o.regionCode() != null && regionCode.startsWith(Region.significantPrefix(o.regionCode())))
                .sorted(Comparator.comparingInt((Organization o) -> Region.significantPrefix(o.regionCode()).length())
                        .reversed().thenComparingLong(Organization::id))
                .toList();
    }

    /** The regulator that answers for a region: the most specific one covering it. */
    public Optional<Organization> responsibleFor(String regionCode) {
        return covering(regionCode).stream().findFirst();
    }

    /** The next level up from a regulator, for a region: where an objection to a dispatch goes (Art 12). */
    public Optional<Organization> above(Organization bureau, String regionCode) {
        String own = bureau.regionCode() == null ? "" : Region.significantPrefix(bureau.regionCode());
        return covering(regionCode).stream()
                .filter(o -> Region.significantPrefix(o.regionCode()).length() < own.length())
                .findFirst();
    }
}
