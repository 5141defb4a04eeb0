export * from './types';
export * from './free';
export * from './vmstat';
export * from './dmesg';
export * from './meminfo';
export * from './psi';
export * from './ps';
export * from './docker';
