<?php

declare(strict_types=1);

namespace Cartlift;

/**
 * A cartlift call failed. getErrorCode() is the stable string code ("invalid_input", ...) that Python's
 * `.code` and Node's `err.code` give; getCode() is the C status number. Catch a subclass for one kind.
 */
class CartliftException extends \RuntimeException
{
    /** Status number => exception class; statuses not listed map to this base class. */
    private const CLASSES = [
        1 => InvalidInputException::class,
        2 => UnknownProductException::class,
        3 => CurrencyMismatchException::class,
        4 => CorruptModelException::class,
        5 => UnsupportedVersionException::class,
        6 => IoException::class,
        7 => UnknownExperimentException::class,
        8 => InternalException::class,
        100 => InternalException::class, // a NULL argument: a bug in this class, not in the caller's input
        101 => InternalException::class, // a caught panic in the library
    ];

    public function __construct(
        string $message,
        int $status,
        private readonly string $errorCode,
        private readonly ?string $field = null,
        private readonly ?int $inputLine = null,
        private readonly ?string $inputFile = null,
        ?\Throwable $previous = null,
    ) {
        parent::__construct($message, $status, $previous);
    }

    /** The subclass for a C status. */
    public static function fromStatus(
        int $status,
        string $message,
        string $errorCode,
        ?string $field = null,
        ?int $inputLine = null,
        ?string $inputFile = null,
    ): self {
        $class = self::CLASSES[$status] ?? self::class;
        return new $class($message, $status, $errorCode, $field, $inputLine, $inputFile);
    }

    /** The stable snake_case error code: "invalid_input", "unknown_product", ... */
    public function getErrorCode(): string
    {
        return $this->errorCode;
    }

    /** The input field at fault ("cart[0].quantity"), or null. */
    public function getField(): ?string
    {
        return $this->field;
    }

    /** The 1-based line in the input file or JSON text, or null. (getLine() is PHP's own source line.) */
    public function getInputLine(): ?int
    {
        return $this->inputLine;
    }

    /** The input file at fault, or null. (getFile() is PHP's own source file.) */
    public function getInputFile(): ?string
    {
        return $this->inputFile;
    }
}

/** Malformed or out-of-range input: a negative quantity, a float where money is expected, unknown keys. */
class InvalidInputException extends CartliftException {}

/** A product id the operation needs is not in the catalog. */
class UnknownProductException extends CartliftException {}

/** Two amounts in different currencies met where one currency is required. */
class CurrencyMismatchException extends CartliftException {}

/** A model file or buffer is truncated, fails its checksum or does not decode. */
class CorruptModelException extends CartliftException {}

/** A model written by a newer cartlift. */
class UnsupportedVersionException extends CartliftException {}

/** Reading or writing a file failed. */
class IoException extends CartliftException {}

/** An experiment id the engine does not know. */
class UnknownExperimentException extends CartliftException {}

/** A bug in cartlift (or a caught panic). Please report it. */
class InternalException extends CartliftException {}
