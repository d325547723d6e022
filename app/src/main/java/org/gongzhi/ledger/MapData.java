package org.gongzhi.ledger;

import java.util.ArrayList;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the map page draws: the filtered outfalls that have coordinates, as compact points, and the basemap
 * settings. With no {@code gongzhi.map.tile-url} (or when tiles cannot be fetched) the map shows the points on a
 * plain background, so it works offline and inside closed government networks.
 */
@RestController
class MapData {

    /** One marker: id, name, lon, lat, type, level-1 type, lifecycle. */
    record Point(long id, String name, double lon, double lat, String type, String level1, String lifecycle) {
    }

    record MapConfig(String tileUrl, String attribution, List<Point> points) {
    }

    private final Ledger ledger;
    private final OutfallTypes types;
    private final String tileUrl;
    private final String attribution;

    MapData(Ledger ledger, OutfallTypes types, @Value("${gongzhi.map.tile-url:}") String tileUrl,
            @Value("${gongzhi.map.attribution:}") String attribution) {
        this.ledger = ledger;
        this.types = types;
        this.tileUrl = tileUrl;
        this.attribution = attribution;
    }

    @GetMapping("/outfalls/map/data")
    MapConfig data(@RequestParam(required = false) String region, @RequestParam(required = false) String type,
                   @RequestParam(required = false) Regime regime, @RequestParam(required = false) Lifecycle lifecycle,
                   @RequestParam(required = false) Long waterBody, @RequestParam(required = false) Long party,
                   @RequestParam(required = false) String q, CurrentUser user) {
        List<Point> points = new ArrayList<>();
        LedgerQuery query = new LedgerQuery(region, type, regime, lifecycle, waterBody, party, q, null, null, false, 0, 1);
        ledger.forEach(query, user, o -> {
            if (o.longitude() != null && o.latitude() != null) {
                points.add(new Point(o.id(), o.name(), o.longitude(), o.latitude(), o.typeCode(),
                        types.find(o.typeCode()).map(t -> t.level1().name()).orElse(""), o.lifecycle().name()));
            }
        });
        return new MapConfig(tileUrl, attribution, points);
    }
}
