/**
 * Retention campaigns: files admins edit ({@code mappings/campaigns/<id>.yaml}, {@link dev.ponte.campaigns.CampaignLoader}
 * checks them as mappings are checked), who a campaign is for on a day ({@link dev.ponte.campaigns.CampaignAudience},
 * a read of the canonical store), the run that schedules RECALL messages through the messaging core
 * ({@link dev.ponte.campaigns.CampaignRun}: consent, quiet hours, cadence and recipient checks of
 * {@link dev.ponte.messaging.MessagePolicy} apply to every one), and what followed ({@link dev.ponte.campaigns.CampaignResults}:
 * sent, blocked and why, replied, booked). Storage: {@link dev.ponte.store.CampaignRuns}.
 */
package dev.ponte.campaigns;
