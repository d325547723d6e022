package org.gongzhi.ledger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The HJ 1312 taxonomy, read once from the outfall_type table (change it there, by migration, to reconfigure). */
@Service
public class OutfallTypes {

    private final Map<String, OutfallType> byCode = new LinkedHashMap<>();

    OutfallTypes(JdbcClient jdbc) {
        jdbc.sql("SELECT code, level1, name_zh, name_en, requires_approval FROM outfall_type ORDER BY sort")
                .query((rs, i) -> new OutfallType(rs.getString(1), OutfallType.Level1.valueOf(rs.getString(2)),
                        rs.getString(3), rs.getString(4), rs.getBoolean(5)))
                .list().forEach(t -> byCode.put(t.code(), t));
    }

    public List<OutfallType> all() {
        return List.copyOf(byCode.values());
    }

    public Optional<OutfallType> find(String code) {
        return Optional.ofNullable(code == null ? null : byCode.get(code));
    }

    /** Accepts the code (IND_ENT) or the Chinese name (工业企业排污口), as people write either in spreadsheets. */
    public Optional<OutfallType> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim();
        return find(t.toUpperCase()).or(() -> byCode.values().stream()
                .filter(x -> x.nameZh().equals(t) || x.nameEn().equalsIgnoreCase(t)).findFirst());
    }
}
