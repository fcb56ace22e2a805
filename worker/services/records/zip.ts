/** A minimal ZIP writer: stored (uncompressed) entries with CRC-32, enough for exports of text files. */

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n += 1) {
		let c = n;
		for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

export function crc32(bytes: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

export type ZipEntry = { name: string; data: Uint8Array; modified?: Date };

function dosDateTime(date: Date): { time: number; day: number } {
	const year = Math.max(1980, date.getUTCFullYear());
	return {
		time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2),
		day: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate()
	};
}

export function zip(entries: ZipEntry[]): Uint8Array<ArrayBuffer> {
	const encoder = new TextEncoder();
	const locals: Uint8Array[] = [];
	const centrals: Uint8Array[] = [];
	let offset = 0;
	for (const entry of entries) {
		const name = encoder.encode(entry.name);
		const crc = crc32(entry.data);
		const { time, day } = dosDateTime(entry.modified ?? new Date(0));
		const local = new DataView(new ArrayBuffer(30));
		local.setUint32(0, 0x04034b50, true);
		local.setUint16(4, 20, true);
		local.setUint16(6, 0x0800, true);
		local.setUint16(8, 0, true);
		local.setUint16(10, time, true);
		local.setUint16(12, day, true);
		local.setUint32(14, crc, true);
		local.setUint32(18, entry.data.byteLength, true);
		local.setUint32(22, entry.data.byteLength, true);
		local.setUint16(26, name.byteLength, true);
		local.setUint16(28, 0, true);
		const central = new DataView(new ArrayBuffer(46));
		central.setUint32(0, 0x02014b50, true);
		central.setUint16(4, 20, true);
		central.setUint16(6, 20, true);
		central.setUint16(8, 0x0800, true);
		central.setUint16(10, 0, true);
		central.setUint16(12, time, true);
		central.setUint16(14, day, true);
		central.setUint32(16, crc, true);
		central.setUint32(20, entry.data.byteLength, true);
		central.setUint32(24, entry.data.byteLength, true);
		central.setUint16(28, name.byteLength, true);
		central.setUint32(42, offset, true);
		locals.push(new Uint8Array(local.buffer), name, entry.data);
		centrals.push(new Uint8Array(central.buffer), name);
		offset += 30 + name.byteLength + entry.data.byteLength;
	}
	const centralSize = centrals.reduce((sum, part) => sum + part.byteLength, 0);
	const end = new DataView(new ArrayBuffer(22));
	end.setUint32(0, 0x06054b50, true);
	end.setUint16(8, entries.length, true);
	end.setUint16(10, entries.length, true);
	end.setUint32(12, centralSize, true);
	end.setUint32(16, offset, true);
	const parts = [...locals, ...centrals, new Uint8Array(end.buffer)];
	const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
	let cursor = 0;
	for (const part of parts) {
		out.set(part, cursor);
		cursor += part.byteLength;
	}
	return out;
}
