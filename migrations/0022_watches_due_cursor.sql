DROP INDEX `watches_due`;--> statement-breakpoint
CREATE INDEX `watches_due` ON `watches` (`next_fetch_at`,`id`);