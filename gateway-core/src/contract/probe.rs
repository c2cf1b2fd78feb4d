//! What generated code asks about the types of a gateway, for the exported contracts.
//!
//! Autoref-based specialisation (stable Rust has no trait specialisation): generated code
//! calls a method on a reference to a probe of a concrete type (its `NEW` constant), and method lookup picks the
//! impl that needs the fewest auto-dereferences among those whose bounds hold. The probes
//! never fail to compile: a type the contract cannot describe is `Unknown`.
//!
//! - `(&&&SchemaProbe::<T>::NEW).__gw_shape(builder)`: the first of a payload type the
//!   framework knows (`Valid<T>`, `Bytes`, `Args`), a `JsonSchema` type, or `Unknown`;
//! - `(&&CodesProbe::<E>::NEW).__gw_codes()`: `AppError::CODES`, or none;
//! - `(&&ArgProbe::<A, T>::NEW).__gw_is_payload()`: whether a parameter is one of the
//!   event's arguments (not an extractor), as `extract/param.rs` sorts it at runtime;
//! - `(&&AckProbe::<R>::NEW).__gw_ack_parts()`: what a return type acks, as
//!   `ack::kind` decides at runtime: for a `Result<T, E>` (however it is spelled) `T` and
//!   the codes of `E`, for any other type the type itself and no codes.

use std::marker::PhantomData;

use schemars::JsonSchema;
use socketioxide::adapter::Adapter;

use super::{ContractBuilder, Shape};
use crate::error::AppError;
use crate::extract::FromParts;

/// Carries the probed type.
pub struct SchemaProbe<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized> SchemaProbe<T> {
    /// The probe (a constant: probing compiles to no function of its own).
    pub const NEW: Self = SchemaProbe(PhantomData);
}

/// Payload types the framework gives a shape of their own.
pub trait KnownShape {
    fn shape(builder: &mut ContractBuilder) -> Shape;
}

impl<T: JsonSchema> KnownShape for crate::extract::Valid<T> {
    fn shape(builder: &mut ContractBuilder) -> Shape {
        Shape::Json(builder.generator().subschema_for::<T>().to_value())
    }
}

impl KnownShape for bytes::Bytes {
    fn shape(_: &mut ContractBuilder) -> Shape {
        Shape::Binary
    }
}

impl KnownShape for crate::extract::Args {
    fn shape(_: &mut ContractBuilder) -> Shape {
        Shape::Rest
    }
}

pub trait ViaKnown {
    fn __gw_shape(&self, builder: &mut ContractBuilder) -> Shape;
}
impl<T: KnownShape> ViaKnown for &&SchemaProbe<T> {
    fn __gw_shape(&self, builder: &mut ContractBuilder) -> Shape {
        T::shape(builder)
    }
}

pub trait ViaSchema {
    fn __gw_shape(&self, builder: &mut ContractBuilder) -> Shape;
}
impl<T: JsonSchema + ?Sized> ViaSchema for &SchemaProbe<T> {
    fn __gw_shape(&self, builder: &mut ContractBuilder) -> Shape {
        Shape::Json(builder.generator().subschema_for::<T>().to_value())
    }
}

pub trait ViaUnknown {
    fn __gw_shape(&self, builder: &mut ContractBuilder) -> Shape;
}
impl<T: ?Sized> ViaUnknown for SchemaProbe<T> {
    fn __gw_shape(&self, _: &mut ContractBuilder) -> Shape {
        Shape::Unknown(std::any::type_name::<T>())
    }
}

/// The application error codes of a handler's error type: `AppError::CODES`, or none.
pub struct CodesProbe<E>(PhantomData<E>);

impl<E> CodesProbe<E> {
    /// The probe (a constant: probing compiles to no function of its own).
    pub const NEW: Self = CodesProbe(PhantomData);
}

pub trait ViaAppError {
    fn __gw_codes(&self) -> &'static [&'static str];
}
impl<E: AppError> ViaAppError for &CodesProbe<E> {
    fn __gw_codes(&self) -> &'static [&'static str] {
        E::CODES
    }
}

pub trait ViaNoCodes {
    fn __gw_codes(&self) -> &'static [&'static str];
}
impl<E> ViaNoCodes for CodesProbe<E> {
    fn __gw_codes(&self) -> &'static [&'static str] {
        &[]
    }
}

/// Whether a handler parameter is a payload.
pub struct ArgProbe<A, T>(PhantomData<(A, T)>);

impl<A, T> ArgProbe<A, T> {
    /// The probe (a constant: probing compiles to no function of its own).
    pub const NEW: Self = ArgProbe(PhantomData);
}

pub trait ViaExtractorArg {
    fn __gw_is_payload(&self) -> bool;
}
impl<A: Adapter, T: FromParts<A>> ViaExtractorArg for &ArgProbe<A, T> {
    #[inline(always)]
    fn __gw_is_payload(&self) -> bool {
        false
    }
}

pub trait ViaPayloadArg {
    fn __gw_is_payload(&self) -> bool;
}
impl<A, T> ViaPayloadArg for ArgProbe<A, T> {
    #[inline(always)]
    fn __gw_is_payload(&self) -> bool {
        true
    }
}

/// What a handler's return type acks: its success type and its error type.
pub struct AckProbe<R>(PhantomData<R>);

impl<R> AckProbe<R> {
    /// The probe (a constant: probing compiles to no function of its own).
    pub const NEW: Self = AckProbe(PhantomData);
}

pub trait ViaResultParts {
    type Ok;
    type Err;
    fn __gw_ack_parts(&self) -> (SchemaProbe<Self::Ok>, CodesProbe<Self::Err>);
}
impl<T, E> ViaResultParts for &AckProbe<Result<T, E>> {
    type Ok = T;
    type Err = E;
    #[inline(always)]
    fn __gw_ack_parts(&self) -> (SchemaProbe<T>, CodesProbe<E>) {
        (SchemaProbe::NEW, CodesProbe::NEW)
    }
}

pub trait ViaValueParts {
    type Value;
    /// `CodesProbe<()>`: `()` is no `AppError`, so a value has no codes.
    fn __gw_ack_parts(&self) -> (SchemaProbe<Self::Value>, CodesProbe<()>);
}
impl<R> ViaValueParts for AckProbe<R> {
    type Value = R;
    #[inline(always)]
    fn __gw_ack_parts(&self) -> (SchemaProbe<R>, CodesProbe<()>) {
        (SchemaProbe::NEW, CodesProbe::NEW)
    }
}
