// The detectors run on every JavaScript file, in this order.
import type { Detector } from '../detector.ts'
import netSink from './net-sink.ts'
import childProcessNetwork from './child-process-network.ts'
import opaqueCode from './opaque-code.ts'

export const detectors: Detector[] = [netSink, childProcessNetwork, opaqueCode]
