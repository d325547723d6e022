package org.gongzhi.ledger;

import java.util.ArrayList;
import java.util.List;
import org.gongzhi.platform.CurrentUser;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springdoc.core.annotations.ParameterObject;
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
    MapConfig data(@ParameterObject LedgerFilters filters, CurrentUser user) {
        List<Point> points = new ArrayList<>();
        ledger.forEach(filters.all(), user, o -> {
            if (o.longitude() != null && o.latitude() != null) {
                points.add(new Point(o.id(), o.name(), o.longitude(), o.latitude(), o.typeCode(),
                        types.find(o.typeCode()).map(t -> t.level1().name()).orElse(""), o.lifecycle().name()));
            }
        });
        return new MapConfig(tileUrl, attribution, points);
    }
}
