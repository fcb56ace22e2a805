import { describe, expect } from 'vitest';
import { test } from './fixtures';
import { openPage, screenshot } from './browser';
import { apiRequest, newUser, settle, signUpWithApi } from './helpers/accounts';
import { linkFromOutbox } from './helpers/outbox';

describe('workspace settings', () => {
	test('invites a member who joins through the link, limits what a member may do, and manages API keys', async ({ browser }) => {
		const owner = newUser('Olivia Owner');
		const invitee = newUser('Mika Member');
		const ownerSide = await openPage(browser);
		const inviteeSide = await openPage(browser, { viewport: { width: 360, height: 780 } });
		const { page } = ownerSide;

		await signUpWithApi(page, owner);
		await apiRequest(page, 'POST', '/api/projects', { name: 'Shared study' });

		await page.goto('/settings?tab=invitations');
		await page.getByLabel('Email').fill(invitee.email);
		await page.getByRole('button', { name: 'Send invitation' }).click();
		const inviteLink = page.getByRole('textbox', { name: 'Invite link' });
		await inviteLink.waitFor();
		expect(await inviteLink.inputValue()).toMatch(/\/invite\/[\w-]+$/);
		const row = page.getByRole('row').filter({ hasText: invitee.email });
		await row.getByText('Pending').waitFor();
		await settle(page);
		await screenshot(page, 'settings-invitations-1280-light');

		const mailed = await linkFromOutbox(page, invitee.email, /invited/);
		expect(new URL(mailed).pathname).toBe(new URL(await inviteLink.inputValue()).pathname);

		const guest = inviteeSide.page;
		await guest.goto(new URL(mailed).pathname);
		await guest.getByRole('heading', { name: "Join Olivia's workspace" }).waitFor();
		await guest.getByText('Member', { exact: true }).waitFor();
		await settle(guest);
		await screenshot(guest, 'invite-signed-out-360-light');
		await guest.getByRole('link', { name: 'Create an account' }).click();
		await guest.waitForURL(/\/sign-up\?next=/);
		await guest.getByLabel('Name').fill(invitee.name);
		await guest.getByLabel('Work email').fill(invitee.email);
		await guest.getByLabel('Password').fill(invitee.password);
		await guest.getByRole('button', { name: 'Create account' }).click();
		await guest.waitForURL(/\/invite\//);
		await guest.getByRole('button', { name: "Accept and join Olivia's workspace" }).click();
		await guest.waitForURL('**/projects');
		await guest.getByRole('button', { name: "Workspace: Olivia's workspace. Switch workspace" }).waitFor();

		const deleteButton = guest.getByRole('button', { name: 'Delete Shared study' });
		expect(await deleteButton.getAttribute('aria-disabled')).toBe('true');
		const reasonId = await deleteButton.getAttribute('aria-describedby');
		expect(await guest.locator(`[id="${reasonId}"]`).textContent()).toBe('Only admins and owners can delete projects.');

		await guest.goto('/settings?tab=api-keys');
		await guest.getByText('Only admins and owners can create and revoke API keys.').waitFor();

		await page.goto('/settings?tab=members');
		const memberRow = page.getByRole('row').filter({ hasText: invitee.email });
		await memberRow.getByRole('combobox', { name: `Role of ${invitee.name}` }).selectOption('admin');
		await page.getByText(`${invitee.name} is now an admin.`).waitFor();
		await page.reload();
		expect(await page.getByRole('row').filter({ hasText: invitee.email }).getByRole('combobox').inputValue()).toBe('admin');

		await page.goto('/settings?tab=api-keys');
		await page.getByLabel('Key name').fill('CRM sync');
		await page.getByRole('button', { name: 'Create key' }).click();
		const secretDialog = page.getByRole('dialog', { name: 'Copy your new API key' });
		const secret = await secretDialog.getByRole('textbox').inputValue();
		expect(secret).toMatch(/^pk_/);
		await settle(page);
		await screenshot(page, 'settings-api-key-secret-1280-light');
		await secretDialog.getByRole('button', { name: 'I have copied the key' }).click();
		await secretDialog.waitFor({ state: 'detached' });
		const keyRow = page.getByRole('row').filter({ hasText: 'CRM sync' });
		await keyRow.getByText('Never').waitFor();
		expect(await keyRow.locator('code').textContent()).toBe(`${secret.slice(0, 9)}…`);
		await keyRow.getByRole('button', { name: 'Revoke the key CRM sync' }).click();
		await page.getByRole('dialog', { name: 'Revoke this API key?' }).getByRole('button', { name: 'Revoke key' }).click();
		await keyRow.getByText('Revoked').waitFor();

		await guest.goto('/projects');
		await guest.getByRole('button', { name: "Workspace: Olivia's workspace. Switch workspace" }).click();
		await guest.getByRole('button', { name: "Mika's workspace" }).click();
		await guest.getByRole('button', { name: "Workspace: Mika's workspace. Switch workspace" }).waitFor();
		await guest.getByRole('heading', { name: 'No projects yet' }).waitFor();

		expect(ownerSide.problems).toEqual([]);
		expect(inviteeSide.problems).toEqual([]);
		await ownerSide.context.close();
		await inviteeSide.context.close();
	});
});
