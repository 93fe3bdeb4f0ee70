import { proxy } from '../../../../lib/genmeta';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const GET = proxy.fetch;
