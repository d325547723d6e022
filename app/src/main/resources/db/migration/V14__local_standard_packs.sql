-- Local standards (地方标准) added by an admin as packs (issue 4): 《水污染防治法》第十四条 lets a province
-- (省、自治区、直辖市人民政府) set limits for factors the national standard leaves out, or stricter ones. A local pack
-- belongs to one province (its 6-digit code, e.g. 320000 江苏省); national packs have none. The standard's number
-- (e.g. DB32/1072-2018) and the date it takes effect are kept with the version. Versions are never edited: a
-- correction is imported as a new version, and outfalls keep the version they were assigned.
ALTER TABLE standard_pack ADD COLUMN province    text CHECK (province ~ '^[0-9]{2}0000$');
ALTER TABLE standard_pack ADD COLUMN designation text;
ALTER TABLE standard_pack ADD COLUMN valid_from  date;
