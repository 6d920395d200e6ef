-- 011: a load can be taken back. What each party a load changed was before (its document as
-- the party's JSON, its photo apart), and the version the load left it at: undo restores only what nobody has
-- changed since. A load's figures gain the parties it changed, when and by whom it was undone, and
-- the request it answered.

CREATE TABLE CRM_PARTY_LOAD_PRIOR (
    LOAD_ID        BIGINT  NOT NULL,
    PARTY_ID       BIGINT  NOT NULL,
    VERSION_AFTER  INTEGER NOT NULL,
    PRIOR_DOC      BLOB SUB_TYPE TEXT CHARACTER SET UTF8 NOT NULL,
    PRIOR_PHOTO    BLOB SUB_TYPE BINARY,
    CONSTRAINT PK_CRM_PARTY_LOAD_PRIOR PRIMARY KEY (LOAD_ID, PARTY_ID)
);

-- STATE gains 3: undone.
ALTER TABLE CRM_PARTY_LOAD ADD CHANGED INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE CRM_PARTY_LOAD ADD UNDONE_AT TIMESTAMP;
ALTER TABLE CRM_PARTY_LOAD ADD UNDONE_BY BIGINT;
-- The host request that asked for the load (an import action): the same request twice loads once.
ALTER TABLE CRM_PARTY_LOAD ADD REQUEST_KEY VARCHAR(120) CHARACTER SET UTF8;
CREATE UNIQUE INDEX UX_CRM_PARTY_LOAD_REQUEST ON CRM_PARTY_LOAD (REQUEST_KEY);

CREATE INDEX IX_CRM_PARTY_LOAD_ID ON CRM_PARTY (LOAD_ID);
