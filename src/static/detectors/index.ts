// The detectors run on every JavaScript file, in this order.
import type { Detector } from './detector.ts'
import netSink from './net-sink.ts'
import childProcessNetwork from './child-process-network.ts'
import opaqueCode from './opaque-code.ts'
import telemetryEndpoint from './telemetry-endpoint.ts'
import telemetrySdk from './telemetry-sdk.ts'
import domResource from './dom-resource.ts'

export const detectors: Detector[] = [netSink, childProcessNetwork, opaqueCode, telemetryEndpoint, telemetrySdk, domResource]
