-- 008: many parties loaded at once (an import): one row per load, the figures of what its
-- committed transactions wrote so far, and the load each party came with. A load's one event
-- is linked to the load (subject 'party_load'), not to each of its parties.

-- STATE: 0 loading (the figures grow with each committed transaction), 1 done, 2 stopped by
-- its caller before the end.
CREATE TABLE CRM_PARTY_LOAD (
    ID           BIGINT       NOT NULL,
    LOADED_BY    BIGINT       NOT NULL,
    STARTED_AT   TIMESTAMP    NOT NULL,
    SOURCE       VARCHAR(200) CHARACTER SET UTF8,
    COMPANIES    INTEGER      NOT NULL,
    PEOPLE       INTEGER      NOT NULL,
    EMPLOYMENTS  INTEGER      NOT NULL,
    REFUSED      INTEGER      NOT NULL,
    STATE        SMALLINT     NOT NULL,
    CONSTRAINT PK_CRM_PARTY_LOAD PRIMARY KEY (ID)
);

-- NULL for a party created one at a time.
ALTER TABLE CRM_PARTY ADD LOAD_ID BIGINT;
