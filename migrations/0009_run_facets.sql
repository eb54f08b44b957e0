ALTER TABLE `runs` ADD `gpu_vendor` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `gpu_architecture` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `browser` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `os` text;--> statement-breakpoint
CREATE INDEX `runs_protocol_created` ON `runs` (`protocol_id`,`protocol_version`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_contributor_created` ON `runs` (`contributor_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `runs_status_created` ON `runs` (`status`,`created_at`);--> statement-breakpoint
-- Runs stored before 0009: their facets from the stored environment, approximately (new runs get shared/environment-facets.ts's exact parse).
UPDATE `runs` SET
  `gpu_vendor` = CASE WHEN `backend` IN ('wasm', 'cpu') THEN 'none' WHEN lower(json_extract(`environment`, '$.adapter')) LIKE '%swiftshader%' THEN 'software' ELSE 'other' END,
  `browser` = CASE WHEN json_extract(`environment`, '$.client') = 'cli' THEN 'node' WHEN json_extract(`environment`, '$.userAgent') LIKE '%Firefox/%' THEN 'firefox' WHEN json_extract(`environment`, '$.userAgent') LIKE '%Chrome/%' THEN 'chrome' ELSE 'other' END,
  `os` = CASE WHEN json_extract(`environment`, '$.userAgent') LIKE '%Android%' THEN 'android' WHEN json_extract(`environment`, '$.userAgent') LIKE '%Windows%' THEN 'windows' WHEN json_extract(`environment`, '$.userAgent') LIKE '%Mac OS X%' THEN 'macos' WHEN json_extract(`environment`, '$.userAgent') LIKE '%Linux%' THEN 'linux' ELSE 'other' END
WHERE `gpu_vendor` IS NULL;
