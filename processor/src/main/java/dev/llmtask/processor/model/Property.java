package dev.llmtask.processor.model;

/** A record component as a JSON property: its wire name and its slot. */
public record Property(String jsonName, Slot slot) {}
