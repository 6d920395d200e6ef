-- 003: per-user read/unread state of feed events.
-- A watermark per user ("everything up to event id N is read": mark all read is one row) plus
-- marks per event that differ from it (read above the watermark, unread at or below it). The
-- mark table stays small: marking all read deletes the marks the new watermark covers.
-- Event ids come from one sequence, so "up to id N" is "everything recorded so far".

CREATE TABLE CRM_READ_WATERMARK (
    USER_ID     BIGINT    NOT NULL,
    UP_TO_ID    BIGINT    NOT NULL,
    MARKED_AT   TIMESTAMP NOT NULL,
    CONSTRAINT PK_CRM_READ_WATERMARK PRIMARY KEY (USER_ID)
);

CREATE TABLE CRM_READ_MARK (
    USER_ID     BIGINT    NOT NULL,
    EVENT_ID    BIGINT    NOT NULL,
    IS_READ     SMALLINT  NOT NULL,
    CONSTRAINT PK_CRM_READ_MARK PRIMARY KEY (USER_ID, EVENT_ID)
);
