import { Prisma } from '@ovus/db';

/** The Prisma error code (P2002 unique violation, P2003 foreign key, P2025 not found), if any. */
export function prismaCode(error: unknown): string | undefined {
  return error instanceof Prisma.PrismaClientKnownRequestError ? error.code : undefined;
}

/** Turns a JSON-able value into what Prisma's Json columns take (null → JSON null). */
export function toJsonInput(value: unknown): Prisma.InputJsonValue | typeof Prisma.JsonNull {
  return value === null || value === undefined ? Prisma.JsonNull : (value as Prisma.InputJsonValue);
}
