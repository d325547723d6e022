package org.gongzhi.ledger;

import org.gongzhi.platform.Regions;
import org.springframework.stereotype.Component;

/**
 * Proposes a standard outfall name from the pattern seen in practice (outfall-regulation.md §3.3):
 * {市}{县/区}[{乡镇}]{地标 or 责任主体}[{序号}#]{排口类型名}, e.g. 宜昌市点军区云松庭院3#城镇雨洪排口.
 * HJ 1235's exact naming rule was not available, so this is a proposal a person confirms, never applied silently.
 */
@Component
class NameSuggester {

    private final Regions regions;
    private final OutfallTypes types;

    NameSuggester(Regions regions, OutfallTypes types) {
        this.regions = regions;
        this.types = types;
    }

    String suggest(String regionCode, String typeCode, String landmark, String seq) {
        StringBuilder sb = new StringBuilder();
        if (regionCode != null) {
            // From the city down; a municipality (北京市…) is its own city, under a placeholder 市辖区 row.
            var path = regions.path(regionCode.trim());
            boolean municipality = path.size() > 1 && path.get(1).name().equals("市辖区");
            for (var r : path) {
                boolean placeholder = r.name().equals("市辖区") || r.name().equals("县") || r.name().startsWith("省直辖");
                if (!placeholder && (r.level() != org.gongzhi.platform.Region.Level.PROVINCE || municipality)) {
                    sb.append(r.name());
                }
            }
        }
        if (landmark != null && !landmark.isBlank()) {
            sb.append(landmark.trim());
        }
        if (seq != null && !seq.isBlank()) {
            sb.append(seq.trim()).append('#');
        }
        types.find(typeCode).ifPresent(t -> sb.append(t.nameZh()));
        return sb.toString();
    }
}
