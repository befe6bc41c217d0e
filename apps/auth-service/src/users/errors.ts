import { AppError } from '@bff-auth/service-kit/errors';

export const userNotFound = () => new AppError(404, 'user_not_found', 'No user has this id');
export const emailTaken = () => new AppError(409, 'email_taken', 'A user with this email already exists');
