-- 006: each person's say in their mail. Per family of event kinds: at once, in the daily digest
-- or never (no row: as the rules say). And what they follow or unfollow: a project, a
-- counterparty or another subject (the subject registry's type codes, as in CRM_EVENT_SUBJECT).
-- Both are read by the outbox writer in the event writer's transaction, whole (a few rows per
-- person); a follow row is written in the transaction of its "followed"/"unfollowed" event.

CREATE TABLE CRM_MAIL_PREF (
    USER_ID     BIGINT       NOT NULL,
    FAMILY      VARCHAR(32) CHARACTER SET ASCII NOT NULL,
    DELIVERY    VARCHAR(8)  CHARACTER SET ASCII NOT NULL,
    CHANGED_AT  TIMESTAMP    NOT NULL,
    CHANGED_BY  BIGINT       NOT NULL,
    CONSTRAINT PK_CRM_MAIL_PREF PRIMARY KEY (USER_ID, FAMILY)
);

-- FOLLOWING: 1 follows (told as their preferences say, without a rule naming them), 0 unfollowed
-- (no longer told through department-wide rules).
CREATE TABLE CRM_FOLLOW (
    USER_ID       BIGINT       NOT NULL,
    SUBJECT_TYPE  VARCHAR(32) CHARACTER SET ASCII NOT NULL,
    SUBJECT_ID    BIGINT       NOT NULL,
    FOLLOWING     SMALLINT     NOT NULL,
    CHANGED_AT    TIMESTAMP    NOT NULL,
    EVENT_ID      BIGINT       NOT NULL,
    CONSTRAINT PK_CRM_FOLLOW PRIMARY KEY (USER_ID, SUBJECT_TYPE, SUBJECT_ID)
);
CREATE INDEX CRM_FOLLOW_SUBJECT ON CRM_FOLLOW (SUBJECT_TYPE, SUBJECT_ID);
