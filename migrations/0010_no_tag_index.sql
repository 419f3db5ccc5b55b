-- Nothing reads contact tags by tag: a segment's tag conditions are answered from the
-- in-memory image (src/segment/image.rs), a contact's tags are read by contact (the
-- table's key), and an export puts each contact's tags in order itself. The index only
-- cost every tag written an insert, and a first import its rebuild (1.2M entries for a
-- million contacts: 0.27 s of 4.4).
DROP INDEX IF EXISTS contact_tags_tag;
