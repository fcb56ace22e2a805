/** The item a dialog is about (the key to revoke, the member to remove): asking about one opens the dialog. */
export class DialogTarget<Item> {
	item = $state<Item | null>(null);
	open = $state(false);

	ask(item: Item) {
		this.item = item;
		this.open = true;
	}
}
