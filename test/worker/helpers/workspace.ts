import type { Project, Role } from '../../../worker/contracts/api';
import { callJson, signUp, type TestUser } from './api';

/** A new user who accepted an invitation into `owner`'s current workspace with `role`. */
export async function addMember(owner: TestUser, role: Exclude<Role, 'owner'>, label: string = role): Promise<TestUser> {
	const member = await signUp(label);
	const invite = await callJson<{ url: string }>('/api/workspace/invitations', {
		method: 'POST',
		json: { email: member.email, role },
		as: owner.as
	});
	if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${JSON.stringify(invite.body)}`);
	const token = invite.body.url.split('/invite/')[1]!;
	const accepted = await callJson('/api/invitations/' + token + '/accept', { method: 'POST', as: member.as });
	if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
	return member;
}

export const SAMPLE_GUIDE = {
	sections: [
		{
			id: 's1',
			title: 'Warm-up',
			questions: [{ id: 'q1', text: 'Tell me about your role.', probes: ['What does a typical day look like?'] }]
		}
	]
};

export async function createProject(user: TestUser, input: Record<string, unknown> = {}): Promise<Project> {
	const created = await callJson<Project>('/api/projects', { method: 'POST', json: { name: 'Onboarding study', ...input }, as: user.as });
	if (created.status !== 201) throw new Error(`create project failed: ${created.status} ${JSON.stringify(created.body)}`);
	return created.body;
}
